package io.rhlab.workflows.variant;

import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.spec.VariantSpec;

/**
 * The argument of a variant workflow.
 *
 * @param baseModel the experiment's base model; null when the experiment trains nothing
 */
public record VariantInput(String experimentId, VariantSpec spec, ModelRef baseModel) {}
