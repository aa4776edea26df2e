package io.rhlab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The retrieval-head science on trained models (Wu et al. 2024; Zhao et al. 2024): task
 * evaluation, retrieval-head detection, knockout, activation patching, and the cross-variant
 * analysis with its report. Every method is a memoized stage that writes its rows to PostgreSQL as
 * upserts and heartbeats the examples done.
 */
@ActivityInterface
public interface AnalysisActivities {
  /** Accuracy of a model on an evaluation set, overall and by slice (gold position, grid cell). */
  @ActivityMethod(name = "EvaluateTask")
  TaskScore evaluateTask(TaskEvaluationRequest request);

  /** The retrieval score of every head on the detection set. */
  @ActivityMethod(name = "DetectHeads")
  HeadScores detectHeads(DetectionRequest request);

  /** Accuracy with the top-K retrieval heads knocked out against K random other heads. */
  @ActivityMethod(name = "Knockout")
  KnockoutCurve knockout(KnockoutRequest request);

  /** Head outputs of the reference model patched into a variant's model. */
  @ActivityMethod(name = "Patch")
  PatchingOutcome patch(PatchingRequest request);

  /** Recall of the reference's heads, its correlation with the downstream score, the report. */
  @ActivityMethod(name = "Analyze")
  ExperimentReport analyze(AnalysisRequest request);
}
