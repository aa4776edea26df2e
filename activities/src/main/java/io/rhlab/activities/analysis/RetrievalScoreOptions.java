package io.rhlab.activities.analysis;

import java.util.Objects;

/**
 * Settings of the retrieval score.
 *
 * @param maxNewTokens most tokens generated per test, 1..4096 (reference: 50)
 * @param threshold a head whose mean score exceeds this is a retrieval head, finite and >= 0
 *     (reference: 0.1)
 * @param compat correct behaviour or the reference code's quirks
 */
public record RetrievalScoreOptions(int maxNewTokens, double threshold, ScoringCompat compat) {

  /** Validates every field. */
  public RetrievalScoreOptions {
    if (maxNewTokens < 1 || maxNewTokens > PromptRunner.MAX_NEW_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "maxNewTokens must be in [1, " + PromptRunner.MAX_NEW_TOKENS_LIMIT + "], got "
              + maxNewTokens);
    }
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number >= 0, got " + threshold);
    }
    Objects.requireNonNull(compat, "compat");
  }

  /** The reference's settings with the correct behaviour: 50 tokens, threshold 0.1. */
  public static RetrievalScoreOptions defaults() {
    return new RetrievalScoreOptions(50, 0.1, ScoringCompat.CORRECT);
  }
}
