package io.rhlab.activities.model;

import java.util.Objects;

/**
 * A knockout of one attention head.
 *
 * @param head the masked query head
 * @param operator how it is silenced
 * @param scope which forwards it acts on
 */
public record HeadMask(AttentionHead head, HeadMaskOperator operator, MaskScope scope) {

  /** Requires every field. */
  public HeadMask {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(scope, "scope");
  }

  /**
   * Shorthand for {@code new HeadMask(new AttentionHead(layer, head), operator, scope)}.
   *
   * @param layer decoder layer
   * @param head query head
   * @param operator how it is silenced
   * @param scope which forwards it acts on
   * @return the mask
   */
  public static HeadMask of(int layer, int head, HeadMaskOperator operator, MaskScope scope) {
    return new HeadMask(new AttentionHead(layer, head), operator, scope);
  }
}
