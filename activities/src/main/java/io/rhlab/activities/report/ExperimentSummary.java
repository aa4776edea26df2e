package io.rhlab.activities.report;

import io.rhlab.workflows.activities.KnockoutCurve;
import io.rhlab.workflows.activities.PatchingOutcome;
import io.rhlab.workflows.activities.ScoredHead;
import java.util.List;
import java.util.SortedMap;

/**
 * The machine-readable findings of an experiment: what the report shows, as one JSON document
 * (summary.json next to report.html). Field names are stable; add, never rename.
 *
 * @param experimentId the experiment
 * @param reference the variant whose heads the others are compared with
 * @param spearman Spearman correlation of recall with the downstream score; null when undefined
 * @param spearmanInterval 95% percentile bootstrap interval over variants; null when undefined
 * @param variants per variant findings, in spec order
 */
public record ExperimentSummary(
    String experimentId,
    String reference,
    Double spearman,
    double[] spearmanInterval,
    List<Variant> variants) {

  /**
   * @param name the variant
   * @param ownTask accuracy on the variant's own held-out task; null for a data-only variant
   * @param detectionTests detection prompts run
   * @param detectionAccepted those answered right (only they count)
   * @param retrievalHeads heads above the threshold
   * @param totalHeads all heads
   * @param retrievalShare retrievalHeads / totalHeads
   * @param topHeads the highest-scoring heads, best first
   * @param allHeads every head's score, by layer and head
   * @param knockout accuracy on the detection set as top-K or random-K heads are knocked out
   * @param recall share of the reference's retrieval heads that this variant also has; null when
   *     the reference has none
   * @param downstream accuracy on the downstream set
   * @param downstreamBySlice the same by slice (gold position for MDQA)
   * @param patching the reference's head outputs patched into this variant; null for the reference
   */
  public record Variant(
      String name,
      Double ownTask,
      int detectionTests,
      int detectionAccepted,
      int retrievalHeads,
      int totalHeads,
      double retrievalShare,
      List<ScoredHead> topHeads,
      List<ScoredHead> allHeads,
      KnockoutCurve knockout,
      Double recall,
      double downstream,
      SortedMap<String, Double> downstreamBySlice,
      PatchingOutcome patching) {}
}
