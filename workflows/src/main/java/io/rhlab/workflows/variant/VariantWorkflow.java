package io.rhlab.workflows.variant;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One arm of an experiment, run as a child workflow with id {@code <experiment>/<variant>}. */
@WorkflowInterface
public interface VariantWorkflow {
  String TYPE = "Variant";

  @WorkflowMethod(name = TYPE)
  VariantResult run(VariantInput input);

  @QueryMethod(name = "progress")
  VariantProgress progress();
}
