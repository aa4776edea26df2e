package io.rhlab.workflows.activities;

/** Heartbeat details of training: the step reached and the last registered checkpoint. */
public record TrainingProgress(long step, long steps, long checkpointStep, String checkpointUri) {}
