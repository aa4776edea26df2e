package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Mean cross-entropy over the positions a mask selects, so that a fine-tune learns from the answer
 * tokens only (the key-value retrieval recipe puts no loss on the prompt).
 */
public final class MaskedCrossEntropy {

  private MaskedCrossEntropy() {}

  /**
   * {@code sum(mask * -log softmax(logits)[target]) / sum(mask)}.
   *
   * @param logits (B, T, vocab)
   * @param targets (B, T) integer token ids
   * @param mask (B, T) float weights, usually 0/1; must not sum to 0
   * @return the scalar loss, in the logits' manager; differentiable inside a GradientCollector
   */
  public static NDArray loss(NDArray logits, NDArray targets, NDArray mask) {
    try (NDManager scope = NDManager.subManagerOf(logits)) {
      scope.tempAttachAll(logits, targets, mask);
      NDArray logProbabilities = logits.logSoftmax(2); // (B, T, V)
      NDArray index = targets.toType(DataType.INT64, false).expandDims(2); // (B, T, 1)
      NDArray picked = logProbabilities.gather(index, 2).squeeze(2); // (B, T)
      NDArray weights = mask.toType(DataType.FLOAT32, false); // (B, T)
      NDArray loss = picked.mul(weights).sum().neg().div(weights.sum()); // ()
      return scope.ret(loss);
    }
  }

  /**
   * Next-token loss: the logits at position t predict token t + 1, counted where {@code
   * targetMask[t + 1]} is set.
   *
   * @param logits (B, T, vocab) from a forward over {@code tokens}
   * @param tokens (B, T) the input token ids
   * @param targetMask (B, T) 1 at the positions of the tokens to be predicted (the answer), else 0
   * @return the scalar loss, in the logits' manager
   */
  public static NDArray nextTokenLoss(NDArray logits, NDArray tokens, NDArray targetMask) {
    try (NDManager scope = NDManager.subManagerOf(logits)) {
      scope.tempAttachAll(logits, tokens, targetMask);
      NDArray predicting = logits.get(new NDIndex(":, :-1")); // (B, T-1, V)
      NDArray targets = tokens.get(new NDIndex(":, 1:")); // (B, T-1)
      NDArray weights = targetMask.get(new NDIndex(":, 1:")); // (B, T-1)
      return scope.ret(loss(predicting, targets, weights));
    }
  }
}
