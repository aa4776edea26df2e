package io.rhlab.workflows.experiment;

import io.rhlab.workflows.StageStatus;
import java.util.Map;

/** The query answer of an experiment: the status of each variant. */
public record ExperimentProgress(String experimentId, Map<String, StageStatus> variants) {}
