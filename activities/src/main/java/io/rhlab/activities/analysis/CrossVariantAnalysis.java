package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the variants of one experiment with a reference variant (the real-data model): each
 * variant's recall of the reference's retrieval heads, and how recall goes with the downstream score
 * across variants (Spearman), with percentile bootstrap intervals where there are at least {@link
 * BootstrapInterval#MIN_SAMPLE} compared variants.
 *
 * <p>The reference itself is left out of the correlation and the mean recall: its recall is 1 by
 * definition and would only inflate both.
 */
public final class CrossVariantAnalysis {

  /**
   * The outcome.
   *
   * @param recall per variant (reference included, in input order): recall of the reference's heads;
   *     all NaN when the reference has no retrieval head
   * @param compared the variants other than the reference, in input order
   * @param spearman rho of recall against downstream score over {@code compared}; NaN when fewer
   *     than 2 variants, when recall or score is constant, or when recall is undefined
   * @param spearmanInterval bootstrap interval of rho (pairs resampled), or null when fewer than 3
   *     compared variants or recall is undefined
   * @param meanRecallInterval bootstrap interval of the mean recall over {@code compared}, or null
   *     likewise
   */
  public record Report(
      Map<String, Double> recall,
      List<String> compared,
      double spearman,
      BootstrapInterval spearmanInterval,
      BootstrapInterval meanRecallInterval) {}

  private CrossVariantAnalysis() {}

  /**
   * Runs the analysis.
   *
   * @param reference name of the reference variant, a key of both maps
   * @param headsByVariant each variant's retrieval heads
   * @param downstreamScore each variant's downstream score (same keys)
   * @param resamples bootstrap resamples, 100..1,000,000
   * @param confidence bootstrap coverage, in (0, 1)
   * @param seed bootstrap seed
   * @return the report
   * @throws IllegalArgumentException if the reference is missing or the maps' keys differ
   */
  public static Report analyze(
      String reference,
      Map<String, Set<AttentionHead>> headsByVariant,
      Map<String, Double> downstreamScore,
      int resamples,
      double confidence,
      long seed) {
    if (!headsByVariant.containsKey(reference)) {
      throw new IllegalArgumentException(
          "reference must name a variant of headsByVariant " + headsByVariant.keySet()
              + ", got " + reference);
    }
    if (!headsByVariant.keySet().equals(downstreamScore.keySet())) {
      throw new IllegalArgumentException(
          "downstreamScore must have the variants " + headsByVariant.keySet() + ", got "
              + downstreamScore.keySet());
    }
    Set<AttentionHead> referenceHeads = headsByVariant.get(reference);
    Map<String, Double> recall = new LinkedHashMap<>();
    List<String> compared = new ArrayList<>();
    for (Map.Entry<String, Set<AttentionHead>> entry : headsByVariant.entrySet()) {
      recall.put(entry.getKey(), HeadRecall.recall(entry.getValue(), referenceHeads));
      if (!entry.getKey().equals(reference)) {
        compared.add(entry.getKey());
      }
    }
    if (referenceHeads.isEmpty()) {
      return new Report(recall, compared, Double.NaN, null, null);
    }
    double[] x = new double[compared.size()];
    double[] y = new double[compared.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = recall.get(compared.get(i));
      y[i] = downstreamScore.get(compared.get(i));
    }
    double rho = SpearmanCorrelation.rho(x, y);
    if (x.length < BootstrapInterval.MIN_SAMPLE) {
      return new Report(recall, compared, rho, null, null);
    }
    return new Report(
        recall,
        compared,
        rho,
        BootstrapInterval.ofSpearman(x, y, resamples, confidence, seed),
        BootstrapInterval.ofMean(x, resamples, confidence, seed));
  }
}
