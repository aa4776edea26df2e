package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.workflows.spec.TaskData;
import java.io.ByteArrayOutputStream;
import java.util.function.IntFunction;

/**
 * A task's examples as a pure function of (seed, index), and their JSONL parts: part p holds
 * examples [p * perChunk, min(examples, (p+1) * perChunk)), so a part can be made alone and the
 * dataset does not depend on the part size.
 */
public interface ExampleGenerator extends DatasetParts {
  /** Draws of one example that may be rejected (a needle value also in the haystack, ...). */
  int MAX_ATTEMPTS = 1_000;

  /** Distance between the random streams of successive attempts at one example. */
  long ATTEMPT_STRIDE = 0x9E3779B97F4A7C15L;

  TaskData spec();

  TaskExample example(long index);

  /** The JSONL bytes of one part. */
  default byte[] part(int part) {
    TaskData spec = spec();
    long from = (long) part * spec.examplesPerChunk();
    long to = Math.min(spec.examples(), from + spec.examplesPerChunk());
    if (part < 0 || from >= to) {
      throw new IllegalArgumentException("part " + part + " outside [0, " + spec.chunks() + ")");
    }
    ObjectMapper json = Jsonl.MAPPER;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long i = from; i < to; i++) {
      try {
        out.writeBytes(json.writeValueAsBytes(example(i)));
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
   * The first attempt that is not rejected (returns non-null).
   *
   * @throws IllegalStateException after {@link #MAX_ATTEMPTS} rejections
   */
  static TaskExample firstOf(long index, IntFunction<TaskExample> attempt) {
    for (int a = 0; a < MAX_ATTEMPTS; a++) {
      TaskExample e = attempt.apply(a);
      if (e != null) {
        return e;
      }
    }
    throw new IllegalStateException("example " + index + ": no valid draw in " + MAX_ATTEMPTS + " attempts");
  }

  /** The mapper of JSONL lines (plain Jackson: field order comes from the records). */
  final class Jsonl {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Jsonl() {}
  }
}
