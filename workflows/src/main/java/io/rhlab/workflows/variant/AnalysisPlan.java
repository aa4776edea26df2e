package io.rhlab.workflows.variant;

import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.spec.AnalysisSpec;

/**
 * What a variant's analysis stages run on: the experiment's analysis settings and its evaluation
 * sets, synthesized once by the experiment workflow.
 */
public record AnalysisPlan(AnalysisSpec spec, DatasetRef detectionData, DatasetRef downstreamData) {}
