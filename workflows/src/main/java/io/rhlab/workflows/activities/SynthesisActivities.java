package io.rhlab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Generates training and evaluation data into the object store. */
@ActivityInterface
public interface SynthesisActivities {
  /**
   * Generates the dataset in parts, heartbeating {@link SynthesisProgress}; a retried attempt
   * resumes after the last part that was verified and recorded. Returns at once if a completed
   * run with the same stage key exists.
   */
  @ActivityMethod(name = "Synthesize")
  DatasetRef synthesize(SynthesisRequest request);
}
