package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.ModelSpec;

/** Pre-train or import the experiment's base model. */
public record BaseModelRequest(String experimentId, String stageKey, ModelSpec model) {}
