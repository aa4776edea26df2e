package io.rhlab.activities.training;

/**
 * One micro-batch as Java arrays, right-padded to the longest row.
 *
 * @param tokens (B, T) token ids; rows are {@code [bos] prompt answer [eos] pad...}
 * @param targetMask (B, T) 1 where the token is a loss target (answer tokens and eos), else 0; the
 *     logits at t - 1 predict the token at t
 * @param realTokens non-padding tokens in the batch (for throughput)
 * @param targetTokens number of ones in {@code targetMask}
 */
public record TokenBatch(int[][] tokens, float[][] targetMask, int realTokens, int targetTokens) {

  /** Rows in the batch. */
  public int batchSize() {
    return tokens.length;
  }

  /** Columns (padded length). */
  public int length() {
    return tokens[0].length;
  }
}
