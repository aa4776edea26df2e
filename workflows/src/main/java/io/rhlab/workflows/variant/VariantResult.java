package io.rhlab.workflows.variant;

import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.EvaluationResult;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.activities.VariantFindings;

/**
 * What a variant produced.
 *
 * @param model the fine-tuned model; null for a data-only variant
 * @param evaluation its held-out key-value accuracy; null for a data-only variant
 * @param findings what the analysis stages found (patching excepted); null when none ran
 */
public record VariantResult(
    String variant, DatasetRef data, ModelRef model, EvaluationResult evaluation, VariantFindings findings) {}
