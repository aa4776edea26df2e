package io.rhlab.workflows;

/** A stage's state as a progress query reports it. */
public enum StageStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED
}
