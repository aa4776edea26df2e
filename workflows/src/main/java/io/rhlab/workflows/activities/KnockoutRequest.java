package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.KnockoutSpec;

/**
 * Knock out heads of a model and measure accuracy on a set.
 *
 * @param heads the model's detected heads: the top-K come from here, the random ones from the rest
 */
public record KnockoutRequest(
    String experimentId, String variant, String stageKey, ModelRef model, DatasetRef data,
    HeadScores heads, KnockoutSpec settings, int maxNewTokens) {}
