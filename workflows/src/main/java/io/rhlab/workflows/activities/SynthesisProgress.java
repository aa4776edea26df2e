package io.rhlab.workflows.activities;

/** Heartbeat details of synthesis: parts written and verified so far, of the total. */
public record SynthesisProgress(int partsDone, int partsTotal) {}
