package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.TrainSpec;

/** Fine-tune the base model on a variant's dataset. */
public record FineTuneRequest(
    String experimentId, String variant, String stageKey, ModelRef base, DatasetRef data, TrainSpec train) {}
