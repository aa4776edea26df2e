package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass returns.
 *
 * @param logits (B, T, vocab), or (B, 1, vocab) when only the last position was asked for; in the
 *     manager of the input tokens
 * @param retrievalArgmax per batch row, layer and query head, the key position with the largest
 *     attention logit for the forward's last query row, [B][layers][heads]; null unless {@link
 *     Instrumentation#recordArgmax()}
 */
public record ForwardResult(NDArray logits, int[][][] retrievalArgmax) {

  /**
   * The argmax key positions of one batch row.
   *
   * @param batchRow row of the batch
   * @return [layers][heads]
   * @throws IllegalStateException if the argmax was not recorded
   */
  public int[][] argmax(int batchRow) {
    if (retrievalArgmax == null) {
      throw new IllegalStateException(
          "argmax was not recorded: use Instrumentation.recordArgmax()");
    }
    return retrievalArgmax[batchRow];
  }
}
