package io.rhlab.workflows.variant;

import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.spec.VariantSpec;

/**
 * The argument of a variant workflow.
 *
 * @param baseModel the experiment's base model; null when the experiment trains nothing
 * @param analysis the analysis stages to run after training; null: none (and in histories
 *     recorded before analysis existed)
 */
public record VariantInput(String experimentId, VariantSpec spec, ModelRef baseModel, AnalysisPlan analysis) {}
