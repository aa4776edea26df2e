package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.KvRetrievalData;

/**
 * Asks for a dataset to be generated and stored.
 *
 * @param experimentId the experiment workflow id
 * @param variant the variant name
 * @param stageKey the memo key: hash of the data spec and the generator version
 * @param data what to generate
 */
public record SynthesisRequest(
    String experimentId, String variant, String stageKey, KvRetrievalData data) {}
