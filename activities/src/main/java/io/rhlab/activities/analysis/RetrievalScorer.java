package io.rhlab.activities.analysis;

import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The retrieval score of Wu et al. 2024 (seed-methods section 1).
 *
 * <p>Per test: locate the needle span [s, e) in the prompt; decode greedily up to {@code
 * maxNewTokens} tokens, stopping at a newline; at every step (the first step's query is the prompt's
 * last token, as in the reference) and for every layer and query head (after grouped-query
 * expansion) take the argmax key position j of the step's attention logits; if s <= j < e and the
 * prompt token at j equals the token generated at that step, add 1/(e - s) to the head. Steps are
 * events, so a head that copies the same needle token twice can exceed 1.
 *
 * <p>Across tests: only tests whose answer is right contribute (see {@link ScoringCompat}); a
 * head's score is the mean over contributing tests; a head scoring above the threshold is a
 * retrieval head.
 */
public final class RetrievalScorer {

  private final PromptRunner runner;
  private final RetrievalScoreOptions options;

  /**
   * A scorer.
   *
   * @param runner model, tokenizer and token limit (its maxNewTokens must equal the options')
   * @param options threshold and compatibility mode
   */
  public RetrievalScorer(PromptRunner runner, RetrievalScoreOptions options) {
    if (runner.maxNewTokens() != options.maxNewTokens()) {
      throw new IllegalArgumentException(
          "runner maxNewTokens " + runner.maxNewTokens() + " must equal options.maxNewTokens "
              + options.maxNewTokens());
    }
    this.runner = runner;
    this.options = options;
  }

  /** A scorer with its own runner. */
  public static RetrievalScorer of(
      io.rhlab.activities.model.LlamaModel model,
      io.rhlab.activities.model.TextTokenizer tokenizer,
      RetrievalScoreOptions options) {
    return new RetrievalScorer(new PromptRunner(model, tokenizer, options.maxNewTokens()), options);
  }

  /**
   * Scores every head on a grid of tests.
   *
   * @param tests the tests (e.g. needles x lengths x depths)
   * @return per-head scores and per-test outcomes
   */
  public RetrievalScores score(List<NeedleTest> tests) {
    ModelConfig config = runner.model().config();
    double[][] sum = new double[config.layers()][config.heads()];
    List<NeedleOutcome> outcomes = new ArrayList<>();
    int accepted = 0;
    Instrumentation recordArgmax = Instrumentation.builder().recordArgmax().build();
    for (NeedleTest test : tests) {
      int[] prompt = test.prompt().tokens();
      int[] needle = runner.tokenizer().encode(test.needle());
      Optional<NeedleSpan> span =
          options.compat() == ScoringCompat.REFERENCE
              ? NeedleLocator.referenceWindow(prompt, needle)
              : NeedleLocator.exact(prompt, needle);
      Generation generation = runner.run(prompt, recordArgmax);
      boolean correct =
          options.compat() == ScoringCompat.REFERENCE
              ? Rouge1Recall.recall(test.needle(), generation.text()) > 0.5
              : StringMatch.containsAny(generation.text(), test.prompt().answers());
      boolean counts =
          correct && (span.isPresent() || options.compat() == ScoringCompat.REFERENCE);
      if (counts) {
        accepted++;
        span.ifPresent(s -> addEvents(sum, prompt, s, generation));
      }
      outcomes.add(
          new NeedleOutcome(
              test.prompt().id(), generation.text(), correct, span.orElse(null), counts));
    }
    double[][] mean = new double[sum.length][];
    for (int layer = 0; layer < sum.length; layer++) {
      mean[layer] = new double[sum[layer].length];
      for (int head = 0; head < sum[layer].length; head++) {
        mean[layer][head] = accepted == 0 ? Double.NaN : sum[layer][head] / accepted;
      }
    }
    return new RetrievalScores(mean, options.threshold(), accepted, tests.size(), outcomes);
  }

  /**
   * Adds one test's retrieval events: per step, per head, 1/(e - s) when the argmax lies in the
   * span and the prompt token there is the generated token.
   */
  static void addEvents(double[][] sum, int[] prompt, NeedleSpan span, Generation generation) {
    double event = 1.0 / span.length();
    List<int[][]> steps = generation.argmaxPerStep();
    for (int step = 0; step < steps.size(); step++) {
      int generated = generation.tokens()[step];
      int[][] argmax = steps.get(step);
      for (int layer = 0; layer < argmax.length; layer++) {
        for (int head = 0; head < argmax[layer].length; head++) {
          int j = argmax[layer][head];
          // j < prompt.length: a reference-mode span may run past the prompt's end
          if (span.contains(j) && j < prompt.length && prompt[j] == generated) {
            sum[layer][head] += event;
          }
        }
      }
    }
  }
}
