package io.rhlab.activities.synthesis;

import java.util.function.IntFunction;

/** A task's generator whose examples are {@link TaskExample}s, drawn with rejection. */
public interface ExampleGenerator extends DatasetParts {
  /** Draws of one example that may be rejected (a needle value also in the haystack, ...). */
  int MAX_ATTEMPTS = 1_000;

  /** Distance between the random streams of successive attempts at one example. */
  long ATTEMPT_STRIDE = 0x9E3779B97F4A7C15L;

  @Override
  TaskExample example(long index);

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
}
