package io.rhlab.activities.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One retrieval-score test: a prompt with a needle inserted and a question about it.
 *
 * @param prompt the prompt and its acceptable answers
 * @param needle the needle's answer part as text (the reference's "real_needle"); its tokens are
 *     located in the prompt to give the span [s, e)
 */
public record NeedleTest(TaskPrompt prompt, String needle) {

  /** Requires a non-blank needle. */
  public NeedleTest {
    Objects.requireNonNull(prompt, "prompt");
    if (needle == null || needle.isBlank()) {
      throw new IllegalArgumentException("test " + prompt.id() + ": needle must not be blank");
    }
  }

  /** Shorthand for a test with its prompt's parts. */
  public static NeedleTest of(String id, int[] tokens, String needle, List<String> answers) {
    return new NeedleTest(new TaskPrompt(id, tokens, answers), needle);
  }
}
