package io.rhlab.activities.synthesis;

import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.MdqaData;
import io.rhlab.workflows.spec.MultiSubkeyKvData;
import io.rhlab.workflows.spec.NeedleData;
import io.rhlab.workflows.spec.QuadrantData;
import io.rhlab.workflows.spec.TaskData;

/** A dataset as numbered JSONL parts, each a pure function of the spec and its number. */
public interface DatasetParts {
  byte[] part(int part);

  long partSize(int part);

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
