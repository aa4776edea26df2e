package io.rhlab.workflows.variant;

import io.rhlab.workflows.spec.VariantSpec;

/** The argument of a variant workflow: its experiment and its validated spec. */
public record VariantInput(String experimentId, VariantSpec spec) {}
