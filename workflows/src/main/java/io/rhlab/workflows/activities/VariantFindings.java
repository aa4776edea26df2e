package io.rhlab.workflows.activities;

/**
 * What the analysis stages found for one variant.
 *
 * @param ownTask accuracy on the variant's own held-out task; null for a data-only variant
 * @param patching null for the reference variant
 */
public record VariantFindings(
    String variant, EvaluationResult ownTask, HeadScores heads, KnockoutCurve knockout, TaskScore downstream,
    PatchingOutcome patching) {}
