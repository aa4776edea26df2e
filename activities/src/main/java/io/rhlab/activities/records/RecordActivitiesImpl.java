package io.rhlab.activities.records;

import io.rhlab.db.ExperimentStore;
import io.rhlab.workflows.activities.RecordActivities;

/** Writes experiment and variant rows; every call is an idempotent upsert or update. */
public final class RecordActivitiesImpl implements RecordActivities {
  private final ExperimentStore experiments;

  public RecordActivitiesImpl(ExperimentStore experiments) {
    this.experiments = experiments;
  }

  @Override
  public void experimentStarted(String experimentId, String name, String specJson, String specSha256) {
    experiments.startExperiment(experimentId, name, specJson, specSha256);
  }

  @Override
  public void experimentFinished(String experimentId, boolean succeeded, String error) {
    experiments.finishExperiment(experimentId, succeeded, error);
  }

  @Override
  public void variantStarted(String experimentId, String variant, String specJson) {
    experiments.startVariant(experimentId, variant, specJson);
  }

  @Override
  public void variantFinished(String experimentId, String variant, boolean succeeded, String error) {
    experiments.finishVariant(experimentId, variant, succeeded, error);
  }
}
