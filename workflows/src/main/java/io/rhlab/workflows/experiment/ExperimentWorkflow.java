package io.rhlab.workflows.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The top-level run. Its one argument is the spec as a JSON tree, so anything a Web UI form or
 * another SDK sends decodes; validation happens inside and fails the run non-retryably.
 */
@WorkflowInterface
public interface ExperimentWorkflow {
  String TYPE = "Experiment";

  @WorkflowMethod(name = TYPE)
  ExperimentResult run(JsonNode spec);

  @QueryMethod(name = "progress")
  ExperimentProgress progress();
}
