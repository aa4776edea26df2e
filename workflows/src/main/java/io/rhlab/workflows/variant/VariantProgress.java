package io.rhlab.workflows.variant;

import io.rhlab.workflows.StageStatus;
import java.util.Map;

/** The query answer of a variant workflow: each stage's status, in stage order. */
public record VariantProgress(String variant, Map<String, StageStatus> stages) {}
