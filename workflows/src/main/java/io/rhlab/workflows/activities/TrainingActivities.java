package io.rhlab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Model work: pre-training or import of the base model, fine-tuning, evaluation. Runs on the GPU
 * when the worker's DJL engine sees one, on the CPU otherwise. Training heartbeats
 * {@link TrainingProgress} and resumes from the newest intact checkpoint of its stage key.
 */
@ActivityInterface
public interface TrainingActivities {
  @ActivityMethod(name = "PrepareBaseModel")
  ModelRef prepareBaseModel(BaseModelRequest request);

  @ActivityMethod(name = "FineTune")
  ModelRef fineTune(FineTuneRequest request);

  @ActivityMethod(name = "Evaluate")
  EvaluationResult evaluate(EvaluationRequest request);
}
