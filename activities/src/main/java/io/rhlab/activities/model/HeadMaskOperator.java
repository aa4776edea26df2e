package io.rhlab.activities.model;

/** How a masked (knocked-out) attention head is silenced. */
public enum HeadMaskOperator {
  /**
   * The head's post-RoPE query is set to zero, so every logit is 0 and its attention is uniform
   * over the positions it may see: the head outputs the mean of the visible value vectors. This is
   * the retrieval-head paper's knockout (Wu et al. 2024).
   */
  QUERY_ZERO,

  /** The head's output (before o_proj) is set to zero. */
  ZERO_OUTPUT,

  /**
   * The head's output at position t is replaced by the causal running mean of its own unmasked
   * outputs over positions 0..t of the same sequence (prompt and generated tokens alike). The mean
   * is causal so that a full forward and an incremental decode agree; the running sum is kept in
   * the {@link KvCache}, which is why the prompt must be prefilled with the same instrumentation.
   */
  MEAN_OUTPUT
}
