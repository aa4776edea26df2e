package io.rhlab.workflows.experiment;

import io.rhlab.workflows.variant.VariantResult;
import io.rhlab.workflows.activities.ExperimentReport;
import java.util.List;

/**
 * What an experiment produced, per variant.
 *
 * @param report the analysis report; null when the spec has no analysis section
 */
public record ExperimentResult(
    String experimentId, String specSha256, List<VariantResult> variants, ExperimentReport report) {}
