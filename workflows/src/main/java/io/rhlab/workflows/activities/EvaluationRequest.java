package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.KvRetrievalData;

/**
 * Evaluate a model on held-out key-value examples drawn like the variant's data but from another
 * seed.
 *
 * @param examples how many held-out examples
 */
public record EvaluationRequest(
    String experimentId, String variant, String stageKey, ModelRef model, KvRetrievalData data, int examples) {}
