package io.rhlab.workflows.variant;

import io.rhlab.workflows.ActivityPolicies;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.StageStatus;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.RecordActivities;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a variant's stages in order; each stage is memoized by its key in the activities. */
public class VariantWorkflowImpl implements VariantWorkflow {
  static final String SYNTHESIZE = "synthesize";

  private final RecordActivities records =
      Workflow.newActivityStub(RecordActivities.class, ActivityPolicies.RECORDS);
  private final SynthesisActivities synthesis =
      Workflow.newActivityStub(SynthesisActivities.class, ActivityPolicies.SYNTHESIS);

  private final Map<String, StageStatus> stages = new LinkedHashMap<>();
  private String variant = "";

  @Override
  public VariantResult run(VariantInput input) {
    variant = input.spec().name();
    stages.put(SYNTHESIZE, StageStatus.PENDING);
    records.variantStarted(
        input.experimentId(), variant, ExperimentSpec.canonicalJson(input.spec()));
    try {
      DatasetRef data = stage(SYNTHESIZE, () -> synthesize(input));
      records.variantFinished(input.experimentId(), variant, true, null);
      return new VariantResult(variant, data);
    } catch (RuntimeException e) {
      records.variantFinished(input.experimentId(), variant, false, e.getMessage());
      throw e;
    }
  }

  private DatasetRef synthesize(VariantInput input) {
    var data = input.spec().data();
    String key = StageKeys.of(SYNTHESIZE, StageKeys.SYNTHESIS_VERSION, data);
    return synthesis.synthesize(new SynthesisRequest(input.experimentId(), variant, key, data));
  }

  private <T> T stage(String name, java.util.function.Supplier<T> body) {
    stages.put(name, StageStatus.RUNNING);
    Workflow.setCurrentDetails("**" + variant + "**: " + name + " running");
    try {
      T result = body.get();
      stages.put(name, StageStatus.COMPLETED);
      Workflow.setCurrentDetails("**" + variant + "**: " + name + " done");
      return result;
    } catch (RuntimeException e) {
      stages.put(name, StageStatus.FAILED);
      throw e;
    }
  }

  @Override
  public VariantProgress progress() {
    return new VariantProgress(variant, Map.copyOf(stages));
  }
}
