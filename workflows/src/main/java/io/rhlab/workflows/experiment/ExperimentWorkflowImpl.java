package io.rhlab.workflows.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.workflows.ActivityPolicies;
import io.rhlab.workflows.StageStatus;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.activities.AnalysisActivities;
import io.rhlab.workflows.activities.AnalysisRequest;
import io.rhlab.workflows.activities.BaseModelRequest;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.ExperimentReport;
import io.rhlab.workflows.activities.PatchingOutcome;
import io.rhlab.workflows.activities.PatchingRequest;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.workflows.activities.VariantFindings;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.activities.RecordActivities;
import io.rhlab.workflows.activities.TrainingActivities;
import io.rhlab.workflows.spec.AnalysisSpec;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.rhlab.workflows.spec.VariantSpec;
import io.rhlab.workflows.variant.AnalysisPlan;
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

/**
 * Validates the spec, records it, prepares the base model when variants train, synthesizes the
 * analysis sets, and runs one child workflow per variant, a few at a time; then patches the
 * reference variant's heads into the others and writes the cross-variant analysis.
 */
public class ExperimentWorkflowImpl implements ExperimentWorkflow {
  static final String BASE_MODEL = "base-model";
  static final String SYNTHESIZE_SET = "synthesize";
  static final String PATCH = "patch";
  static final String ANALYZE = "analyze";

  /** Workflow.getVersion change id shared with the variant workflow. */
  static final String ANALYSIS_CHANGE = "analysis-stages";

  private final RecordActivities records =
      Workflow.newActivityStub(RecordActivities.class, ActivityPolicies.RECORDS);
  private final TrainingActivities training =
      Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.TRAINING);
  private final SynthesisActivities synthesis =
      Workflow.newActivityStub(SynthesisActivities.class, ActivityPolicies.SYNTHESIS);
  private final AnalysisActivities analysis =
      Workflow.newActivityStub(AnalysisActivities.class, ActivityPolicies.ANALYSIS);

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
    try {
      ModelRef base = null;
      if (spec.model() != null) {
        Workflow.setCurrentDetails("base model: " + spec.model().source());
        base = training.prepareBaseModel(new BaseModelRequest(experimentId,
            StageKeys.of(BASE_MODEL, StageKeys.BASE_MODEL_VERSION, spec.model()), spec.model()));
      }
      AnalysisPlan plan = null;
      if (spec.analysis() != null && base != null
          && Workflow.getVersion(ANALYSIS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        plan = synthesizeSets(spec.analysis());
      }
      return runVariants(spec, specSha256, base, plan);
    } catch (RuntimeException e) {
      records.experimentFinished(experimentId, false, e.getMessage());
      throw e;
    }
  }

  /** The detection and downstream sets, once for all variants ("@set" in stage rows). */
  private AnalysisPlan synthesizeSets(AnalysisSpec a) {
    Map<String, DatasetRef> made = new LinkedHashMap<>();
    for (String name : List.of(a.detectionSet(), a.downstreamSet())) {
      if (!made.containsKey(name)) {
        Workflow.setCurrentDetails("analysis set " + name + ": synthesizing");
        var data = a.set(name).data();
        made.put(name, synthesis.synthesize(new SynthesisRequest(experimentId, "@" + name,
            StageKeys.of(SYNTHESIZE_SET, StageKeys.SYNTHESIS_VERSION, data), data)));
      }
    }
    return new AnalysisPlan(a, made.get(a.detectionSet()), made.get(a.downstreamSet()));
  }

  private ExperimentResult runVariants(ExperimentSpec spec, String specSha256, ModelRef base, AnalysisPlan plan) {
    WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(spec.maxParallelVariants());
    List<Promise<VariantResult>> running = new ArrayList<>();
    for (VariantSpec v : spec.variants()) {
      running.add(Async.function(() -> runVariant(v, base, plan, slots)));
    }
    Promise.allOf(running).get();
    List<VariantResult> results = running.stream().map(Promise::get).toList();
    ExperimentReport report = plan == null ? null : compare(plan, results);
    records.experimentFinished(experimentId, true, null);
    Workflow.setCurrentDetails("completed: " + results.size() + " variants");
    return new ExperimentResult(experimentId, specSha256, results, report);
  }

  /** Patches the reference's heads into every other analysed variant, then writes the analysis. */
  private ExperimentReport compare(AnalysisPlan plan, List<VariantResult> results) {
    AnalysisSpec a = plan.spec();
    VariantResult reference = results.stream().filter(r -> r.variant().equals(a.reference()))
        .findFirst().orElseThrow();
    List<VariantFindings> findings = new ArrayList<>();
    for (VariantResult r : results) {
      if (r.findings() == null) {
        continue; // data-only variants have no model to analyse
      }
      VariantFindings f = r.findings();
      if (!r.variant().equals(a.reference())) {
        Workflow.setCurrentDetails("patching " + a.reference() + " into " + r.variant());
        String key = StageKeys.of(PATCH, StageKeys.PATCHING_VERSION, a.patching(),
            plan.downstreamData().sha256(), r.model().stageKey(), reference.model().stageKey(),
            "n=" + a.downstreamExamples());
        PatchingOutcome patching = analysis.patch(new PatchingRequest(experimentId, r.variant(), key,
            r.model(), f.heads(), a.reference(), reference.model(), reference.findings().heads(),
            plan.downstreamData(), a.patching(), a.detection().maxNewTokens()));
        f = new VariantFindings(f.variant(), f.ownTask(), f.heads(), f.knockout(), f.downstream(), patching);
      }
      findings.add(f);
    }
    Workflow.setCurrentDetails("analysing " + findings.size() + " variants");
    String key = StageKeys.of(ANALYZE, StageKeys.ANALYSIS_VERSION, findings, a.reference());
    return analysis.analyze(new AnalysisRequest(experimentId, key, a.reference(), findings,
        a.knockout().seed()));
  }

  private VariantResult runVariant(VariantSpec v, ModelRef base, AnalysisPlan plan, WorkflowSemaphore slots) {
    slots.acquire();
    variants.put(v.name(), StageStatus.RUNNING);
    try {
      VariantWorkflow child =
          Workflow.newChildWorkflowStub(
              VariantWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(variantWorkflowId(experimentId, v.name()))
                  .build());
      VariantResult result = child.run(new VariantInput(experimentId, v, base, v.train() == null ? null : plan));
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
