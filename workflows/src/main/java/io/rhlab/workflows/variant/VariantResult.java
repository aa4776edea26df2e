package io.rhlab.workflows.variant;

import io.rhlab.workflows.activities.DatasetRef;

/** What a variant produced. */
public record VariantResult(String variant, DatasetRef data) {}
