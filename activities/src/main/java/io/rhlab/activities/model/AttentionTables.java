package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What every layer of one forward shares, made once per forward rather than once per layer.
 *
 * @param cos rotary rows (T, D) for the keys
 * @param sin rotary rows (T, D) for the keys
 * @param queryCos the same rows times 1/sqrt(D), for the queries: folding the logits' scale into
 *     two (T, D) tables costs less than a pass over the (B, H, T, S) logits, forward and backward
 * @param querySin likewise
 * @param mask the additive causal mask stacked for the query groups, (G*T, S) with row g*T + t
 *     being the (T, S) mask's row t, to match the layers' (B, K, G*T, S) logits; null when T == 1
 *     (a single query sees every key)
 */
record AttentionTables(NDArray cos, NDArray sin, NDArray queryCos, NDArray querySin, NDArray mask) {

  /**
   * The tables for one forward.
   *
   * @param scope the forward's manager; derived arrays are attached to it
   * @param rope {cos, sin} rotary rows (T, D)
   * @param causalMask (T, S), or null for a single query
   * @param config the model's configuration (head size and group size)
   */
  static AttentionTables of(NDManager scope, NDArray[] rope, NDArray causalMask, ModelConfig config) {
    NDArray scale = NativeArrays.scalar(scope, (float) (1.0 / Math.sqrt(config.headDim())));
    NDArray mask = causalMask;
    if (mask != null && config.groupSize() > 1) {
      mask = causalMask.tile(new long[] {config.groupSize(), 1}); // (G*T, S)
      mask.attach(scope);
    }
    return new AttentionTables(rope[0], rope[1], scale.mul(rope[0]), scale.mul(rope[1]), mask);
  }
}
