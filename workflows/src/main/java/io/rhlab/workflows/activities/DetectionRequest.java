package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.DetectionSpec;

/** Detect the retrieval heads of a model on a detection set. */
public record DetectionRequest(
    String experimentId, String variant, String stageKey, ModelRef model, DatasetRef data,
    DetectionSpec settings) {}
