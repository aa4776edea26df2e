package io.rhlab.workflows.activities;

/**
 * Score a model on (the first {@code examples} records of) an evaluation set.
 *
 * @param set the set's name in the spec (a table key and a report label)
 * @param data the synthesized set; each record carries its prompt, acceptable answers and slice
 */
public record TaskEvaluationRequest(
    String experimentId, String variant, String stageKey, ModelRef model, String set, DatasetRef data,
    int examples, int maxNewTokens) {}
