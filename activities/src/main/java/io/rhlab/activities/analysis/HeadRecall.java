package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import java.util.HashSet;
import java.util.Set;

/** How many of a reference model's retrieval heads another model also has. */
public final class HeadRecall {

  private HeadRecall() {}

  /**
   * Recall |H_v ∩ H_ref| / |H_ref|.
   *
   * @param variant the variant's retrieval heads H_v
   * @param reference the reference's retrieval heads H_ref
   * @return recall in [0, 1], or NaN when H_ref is empty (there is nothing to recall, so the
   *     question has no answer; callers must not read it as 0 or 1)
   */
  public static double recall(Set<AttentionHead> variant, Set<AttentionHead> reference) {
    if (reference.isEmpty()) {
      return Double.NaN;
    }
    Set<AttentionHead> shared = new HashSet<>(reference);
    shared.retainAll(variant);
    return (double) shared.size() / reference.size();
  }
}
