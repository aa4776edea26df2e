package io.rhlab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Bookkeeping rows that dashboards and the CLI read: experiments and variants. */
@ActivityInterface
public interface RecordActivities {
  @ActivityMethod(name = "ExperimentStarted")
  void experimentStarted(String experimentId, String name, String specJson, String specSha256);

  @ActivityMethod(name = "ExperimentFinished")
  void experimentFinished(String experimentId, boolean succeeded, String error);

  @ActivityMethod(name = "VariantStarted")
  void variantStarted(String experimentId, String variant, String specJson);

  @ActivityMethod(name = "VariantFinished")
  void variantFinished(String experimentId, String variant, boolean succeeded, String error);
}
