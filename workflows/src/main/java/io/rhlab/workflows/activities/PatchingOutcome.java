package io.rhlab.workflows.activities;

import java.util.List;

/**
 * Head outputs of the reference model patched into a variant's model, per head set.
 *
 * @param target the variant's own metric, unpatched
 * @param referenceMetric the reference model's metric on the same prompts
 */
public record PatchingOutcome(String reference, double target, double referenceMetric, List<Point> points) {
  /**
   * @param headSet intersection, reference-only or random
   * @param heads how many heads were patched
   * @param patched the metric with them patched (mean over draws for random)
   * @param recovery (patched - target) / (reference - target); null when the reference is no better
   */
  public record Point(String headSet, int heads, double patched, Double recovery) {}
}
