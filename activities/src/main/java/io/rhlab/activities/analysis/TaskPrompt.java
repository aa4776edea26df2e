package io.rhlab.activities.analysis;

import java.util.List;
import java.util.Objects;

/**
 * A prompt and the answers that count as correct, for string-match evaluation.
 *
 * @param id a name for reports (e.g. "len=4000,depth=50")
 * @param tokens prompt token ids, at least one
 * @param answers acceptable answers, at least one
 */
public record TaskPrompt(String id, int[] tokens, List<String> answers) {

  /** Requires every field. */
  public TaskPrompt {
    Objects.requireNonNull(id, "id");
    if (tokens == null || tokens.length == 0) {
      throw new IllegalArgumentException("prompt " + id + ": tokens must hold at least one id");
    }
    if (answers == null || answers.isEmpty()) {
      throw new IllegalArgumentException("prompt " + id + ": answers must hold at least one");
    }
    answers = List.copyOf(answers);
  }
}
