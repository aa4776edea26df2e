package io.rhlab.workflows.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.workflows.ActivityPolicies;
import io.rhlab.workflows.StageStatus;
import io.rhlab.workflows.activities.RecordActivities;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.rhlab.workflows.spec.VariantSpec;
import io.rhlab.workflows.variant.VariantInput;
import io.rhlab.workflows.variant.VariantResult;
import io.rhlab.workflows.variant.VariantWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowSemaphore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validates the spec, records it, and runs one child workflow per variant, a few at a time. */
public class ExperimentWorkflowImpl implements ExperimentWorkflow {
  private final RecordActivities records =
      Workflow.newActivityStub(RecordActivities.class, ActivityPolicies.RECORDS);

  private final Map<String, StageStatus> variants = new LinkedHashMap<>();
  private String experimentId = "";

  /** Child workflow id of a variant: stable, so a re-submitted experiment finds the same ids. */
  public static String variantWorkflowId(String experimentId, String variant) {
    return experimentId + "/" + variant;
  }

  @Override
  public ExperimentResult run(JsonNode specJson) {
    experimentId = Workflow.getInfo().getWorkflowId();
    ExperimentSpec spec;
    try {
      spec = ExperimentSpec.parse(specJson);
    } catch (InvalidSpecException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), InvalidSpecException.TYPE, e.errors());
    }
    String canonical = spec.toCanonicalJson();
    String specSha256 = ExperimentSpec.sha256(canonical);
    spec.variants().forEach(v -> variants.put(v.name(), StageStatus.PENDING));
    records.experimentStarted(experimentId, spec.name(), canonical, specSha256);

    WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(spec.maxParallelVariants());
    List<Promise<VariantResult>> running = new ArrayList<>();
    for (VariantSpec v : spec.variants()) {
      running.add(Async.function(() -> runVariant(v, slots)));
    }
    try {
      Promise.allOf(running).get();
      List<VariantResult> results = running.stream().map(Promise::get).toList();
      records.experimentFinished(experimentId, true, null);
      Workflow.setCurrentDetails("completed: " + results.size() + " variants");
      return new ExperimentResult(experimentId, specSha256, results);
    } catch (RuntimeException e) {
      records.experimentFinished(experimentId, false, e.getMessage());
      throw e;
    }
  }

  private VariantResult runVariant(VariantSpec v, WorkflowSemaphore slots) {
    slots.acquire();
    variants.put(v.name(), StageStatus.RUNNING);
    try {
      VariantWorkflow child =
          Workflow.newChildWorkflowStub(
              VariantWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(variantWorkflowId(experimentId, v.name()))
                  .build());
      VariantResult result = child.run(new VariantInput(experimentId, v));
      variants.put(v.name(), StageStatus.COMPLETED);
      return result;
    } catch (RuntimeException e) {
      variants.put(v.name(), StageStatus.FAILED);
      throw e;
    } finally {
      slots.release();
    }
  }

  @Override
  public ExperimentProgress progress() {
    return new ExperimentProgress(experimentId, Map.copyOf(variants));
  }
}
