package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.PatchingSpec;

/**
 * Patch head outputs of the reference model into a variant's model on the downstream set.
 *
 * @param heads the variant's detected heads
 * @param referenceHeads the reference's detected heads
 */
public record PatchingRequest(
    String experimentId, String variant, String stageKey, ModelRef model, HeadScores heads,
    String reference, ModelRef referenceModel, HeadScores referenceHeads, DatasetRef data,
    PatchingSpec settings, int maxNewTokens) {}
