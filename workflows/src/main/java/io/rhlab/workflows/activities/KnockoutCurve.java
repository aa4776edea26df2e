package io.rhlab.workflows.activities;

import java.util.List;

/**
 * Accuracy on the knockout set as heads are knocked out.
 *
 * @param baseline accuracy with no head knocked out
 * @param points one per K of the sweep
 */
public record KnockoutCurve(double baseline, List<Point> points) {
  /**
   * @param top accuracy with the K highest-scoring heads knocked out
   * @param randomMean mean accuracy over the draws of K random non-retrieval heads
   * @param randomMin the worst draw
   * @param randomMax the best draw
   * @param draws how many random draws were made (0 when too few other heads exist)
   */
  public record Point(int k, double top, double randomMean, double randomMin, double randomMax, int draws) {}
}
