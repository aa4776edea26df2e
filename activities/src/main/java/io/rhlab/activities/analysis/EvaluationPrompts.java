package io.rhlab.activities.analysis;

import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.activities.synthesis.TaskExample;
import io.rhlab.activities.training.TrainingExample;
import java.util.List;
import java.util.Map;

/**
 * Turns stored examples into what the analysis runs: the token ids the model reads (the same
 * {@code [bos] prompt} it was trained on), the acceptable answers, the needle, and the slice an
 * outcome is counted in.
 */
final class EvaluationPrompts {
  private EvaluationPrompts() {}

  /** The prompt of an example as the model reads it. */
  static TaskPrompt prompt(TaskExample e, TextTokenizer tokenizer) {
    return new TaskPrompt(e.task() + "#" + e.index(), tokens(e, tokenizer), e.answers());
  }

  /**
   * A retrieval-score test: the first needle of the example. Only one needle is scored because the
   * score's span is one contiguous run of tokens (seed-methods section 1).
   */
  static NeedleTest needleTest(TaskExample e, TextTokenizer tokenizer) {
    if (e.needles().isEmpty()) {
      throw new IllegalArgumentException("example " + e.index() + " of task " + e.task()
          + " has no needle, so it cannot be a detection prompt");
    }
    return new NeedleTest(prompt(e, tokenizer), e.needles().get(0));
  }

  /** Whether a generated text answers the example: any of its answers, or all when it says so. */
  static boolean correct(TaskExample e, String generated) {
    if ("all".equals(e.attributes().get("scoring"))) {
      return e.answers().stream().allMatch(a -> StringMatch.contains(generated, a));
    }
    return StringMatch.containsAny(generated, e.answers());
  }

  /** The slice an example's outcome is reported in: gold position, grid cell, or none. */
  static String slice(TaskExample e) {
    Map<String, Object> a = e.attributes();
    if (a.containsKey("gold_position")) {
      return "position=" + a.get("gold_position");
    }
    if (a.containsKey("context_length") && a.containsKey("depth_percent")) {
      return "length=" + a.get("context_length") + ",depth=" + a.get("depth_percent");
    }
    return null;
  }

  private static int[] tokens(TaskExample e, TextTokenizer tokenizer) {
    int[] text = tokenizer.encode(TrainingExample.of(e).prompt());
    int bos = tokenizer.bosId();
    if (bos < 0) {
      return text;
    }
    int[] ids = new int[text.length + 1];
    ids[0] = bos;
    System.arraycopy(text, 0, ids, 1, text.length);
    return ids;
  }

  /** The first {@code n} examples, refusing a set that is too small. */
  static List<TaskExample> first(List<TaskExample> examples, int n, String what) {
    if (examples.size() < n) {
      throw new IllegalArgumentException(what + " has " + examples.size() + " examples, " + n + " asked for");
    }
    return examples.subList(0, n);
  }
}
