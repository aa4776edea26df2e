package io.rhlab.workflows.spec;

import java.util.List;

/**
 * How retrieval heads are detected (Wu et al. 2024; seed-methods section 1).
 *
 * @param examples detection prompts per model
 * @param threshold a head whose mean score is above it is a retrieval head (0.1 in the paper)
 * @param maxNewTokens greedy decode budget per prompt (the paper: 50, stopping at a newline)
 * @param compat "correct" (exact needle span, exact-match gate) or "reference" (the reference
 *     code's token-set window and ROUGE-1 gate)
 */
public record DetectionSpec(int examples, double threshold, int maxNewTokens, String compat) {
  public static final String CORRECT = "correct";
  public static final String REFERENCE = "reference";

  static final DetectionSpec DEFAULTS = new DetectionSpec(40, 0.1, 24, CORRECT);

  static DetectionSpec read(SpecReader r) {
    int examples = r.integer("examples", DEFAULTS.examples, 1, 100_000);
    double threshold = r.number("threshold", DEFAULTS.threshold, 0, 100);
    int tokens = r.integer("maxNewTokens", DEFAULTS.maxNewTokens, 1, 4096);
    String compat = r.choice("compat", CORRECT, List.of(CORRECT, REFERENCE));
    return new DetectionSpec(examples, threshold, tokens, compat);
  }
}
