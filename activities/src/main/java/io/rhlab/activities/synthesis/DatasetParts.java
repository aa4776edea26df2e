package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.MdqaData;
import io.rhlab.workflows.spec.MultiSubkeyKvData;
import io.rhlab.workflows.spec.NeedleData;
import io.rhlab.workflows.spec.QuadrantData;
import io.rhlab.workflows.spec.TaskData;
import java.io.ByteArrayOutputStream;

/**
 * A dataset as numbered JSONL parts, each a pure function of the spec and its number: examples are
 * a pure function of (seed, index), and part p holds examples [p * perChunk, min(examples, (p+1) *
 * perChunk)), so a part can be made alone and the dataset does not depend on the part size.
 */
public interface DatasetParts {
  /** The mapper of JSONL lines (plain Jackson: field order comes from the records). */
  ObjectMapper JSONL = new ObjectMapper();

  TaskData spec();

  /** One example, a plain record written as one JSONL line. */
  Object example(long index);

  /** The JSONL bytes of one part. */
  default byte[] part(int part) {
    TaskData spec = spec();
    long from = (long) part * spec.examplesPerChunk();
    long to = Math.min(spec.examples(), from + spec.examplesPerChunk());
    if (part < 0 || from >= to) {
      throw new IllegalArgumentException("part " + part + " outside [0, " + spec.chunks() + ")");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long i = from; i < to; i++) {
      try {
        out.writeBytes(JSONL.writeValueAsBytes(example(i)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("an example is a plain record", e);
      }
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Examples in a part. */
  default long partSize(int part) {
    TaskData spec = spec();
    long from = (long) part * spec.examplesPerChunk();
    return Math.min(spec.examples(), from + spec.examplesPerChunk()) - from;
  }

  /**
   * The generator of a task's data. Context budgets are in tokens of {@code tokenizer}.
   *
   * @param tokenizer measures context lengths; the synthetic tokenizer with corpus words by default
   */
  static DatasetParts of(TaskData data, TextTokenizer tokenizer) {
    if (data instanceof KvRetrievalData kv) {
      return new KvRetrievalGenerator(kv);
    } else if (data instanceof MultiSubkeyKvData m) {
      return new MultiSubkeyKvGenerator(m);
    } else if (data instanceof NeedleData n) {
      return new NeedleHaystackGenerator(n, corpusFor(n.haystack().equals("text")), tokenizer);
    } else if (data instanceof QuadrantData q) {
      return new QuadrantGenerator(q, TextCorpus.europarl(), tokenizer);
    } else if (data instanceof MdqaData m) {
      return new MdqaGenerator(m, TextCorpus.europarl(), tokenizer);
    }
    throw new IllegalArgumentException("no generator for task " + data.taskName());
  }

  /** {@link #of} with the synthetic tokenizer (template and corpus words). */
  static DatasetParts of(TaskData data) {
    return of(data, SyntheticTokenizer.withCorpusWords());
  }

  private static TextCorpus corpusFor(boolean realText) {
    return realText ? TextCorpus.europarl() : null;
  }
}
