package io.rhlab.activities.model;

/** Which forward passes a {@link HeadMask} applies to. */
public enum MaskScope {
  /**
   * Only incremental decode steps, that is forwards whose {@link KvCache} already holds positions;
   * the prompt's keys and values are computed unmasked. This is the retrieval-head paper's setting.
   */
  DECODE_ONLY,

  /** Every forward, prompt and training passes included. */
  EVERYWHERE;

  /**
   * Whether a mask with this scope acts on a forward that follows {@code past} cached positions.
   */
  boolean appliesAt(int past) {
    return this == EVERYWHERE || past > 0;
  }
}
