package io.rhlab.workflows.activities;

import java.util.List;

/**
 * Compare the variants with the reference and write the report.
 *
 * @param variants the findings of every analysed variant, the reference included, in spec order
 * @param seed the bootstrap's seed
 */
public record AnalysisRequest(
    String experimentId, String stageKey, String reference, List<VariantFindings> variants, long seed) {}
