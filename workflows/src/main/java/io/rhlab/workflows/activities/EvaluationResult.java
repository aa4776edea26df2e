package io.rhlab.workflows.activities;

/**
 * Key-value retrieval accuracy of a model.
 *
 * @param exactAccuracy share of answers equal to the target answer
 * @param valueAccuracy share of answers that state the gold value
 * @param chance the accuracy of picking one of the prompt's values at random
 */
public record EvaluationResult(int examples, double exactAccuracy, double valueAccuracy, double chance) {}
