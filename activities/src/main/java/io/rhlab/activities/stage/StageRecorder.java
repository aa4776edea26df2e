package io.rhlab.activities.stage;

import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageAttempt;

/**
 * The stage_runs row of the running attempt. The body calls {@link #begin} once it knows where it
 * resumes from, then reports progress in its own units (parts, steps).
 */
public final class StageRecorder {
  private final StageRunStore stages;
  private final StageAttempt attempt;
  private Long row;

  StageRecorder(StageRunStore stages, StageAttempt attempt) {
    this.stages = stages;
    this.attempt = attempt;
  }

  /** Records the attempt as running, resuming after {@code resumedFrom} units of {@code total}. */
  public void begin(long resumedFrom, long total) {
    row = stages.begin(attempt, resumedFrom == 0 ? null : resumedFrom, total);
  }

  public void progress(long done) {
    stages.progress(requireRow(), done, null);
  }

  public StageAttempt attempt() {
    return attempt;
  }

  Long row() {
    return row;
  }

  private long requireRow() {
    if (row == null) {
      throw new IllegalStateException("begin() was not called");
    }
    return row;
  }
}
