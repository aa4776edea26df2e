package io.rhlab.workflows.activities;

/**
 * Where the experiment's report lies, and its headline.
 *
 * @param reportUri the human-readable report (HTML with charts)
 * @param summaryUri the machine-readable JSON summary
 * @param summarySha256 the summary's hash
 * @param spearman Spearman correlation of recall with the downstream score; null when undefined
 */
public record ExperimentReport(
    String reportUri, String summaryUri, String summarySha256, Double spearman, Double spearmanLow,
    Double spearmanHigh) {}
