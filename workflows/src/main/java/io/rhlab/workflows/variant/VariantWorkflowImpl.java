package io.rhlab.workflows.variant;

import io.rhlab.workflows.ActivityPolicies;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.StageStatus;
import io.rhlab.workflows.activities.AnalysisActivities;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.DetectionRequest;
import io.rhlab.workflows.activities.HeadScores;
import io.rhlab.workflows.activities.KnockoutCurve;
import io.rhlab.workflows.activities.KnockoutRequest;
import io.rhlab.workflows.activities.TaskEvaluationRequest;
import io.rhlab.workflows.activities.TaskScore;
import io.rhlab.workflows.activities.VariantFindings;
import io.rhlab.workflows.activities.EvaluationRequest;
import io.rhlab.workflows.activities.EvaluationResult;
import io.rhlab.workflows.activities.FineTuneRequest;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.activities.RecordActivities;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.workflows.activities.TrainingActivities;
import io.rhlab.workflows.spec.AnalysisSpec;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.TrainSpec;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a variant's stages in order: synthesize its data, then (when it has a train section)
 * fine-tune the base model on it and evaluate the result, then (when the experiment has an
 * analysis section) score it downstream, detect its retrieval heads and knock them out. Each
 * stage is memoized by its key in the activities, so a re-run skips what is done.
 */
public class VariantWorkflowImpl implements VariantWorkflow {
  static final String SYNTHESIZE = "synthesize";
  static final String FINETUNE = "finetune";
  static final String EVALUATE = "evaluate";
  static final String DOWNSTREAM = "downstream";
  static final String DETECT = "detect-heads";
  static final String KNOCKOUT = "knockout";

  /** Workflow.getVersion change id: the analysis stages came after the first recorded runs. */
  static final String ANALYSIS_CHANGE = "analysis-stages";

  private final RecordActivities records =
      Workflow.newActivityStub(RecordActivities.class, ActivityPolicies.RECORDS);
  private final SynthesisActivities synthesis =
      Workflow.newActivityStub(SynthesisActivities.class, ActivityPolicies.SYNTHESIS);
  private final TrainingActivities training =
      Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.TRAINING);
  private final AnalysisActivities analysis =
      Workflow.newActivityStub(AnalysisActivities.class, ActivityPolicies.ANALYSIS);

  private final Map<String, StageStatus> stages = new LinkedHashMap<>();
  private String variant = "";

  @Override
  public VariantResult run(VariantInput input) {
    variant = input.spec().name();
    TrainSpec train = input.spec().train();
    stages.put(SYNTHESIZE, StageStatus.PENDING);
    AnalysisPlan plan = input.analysis();
    if (train != null) {
      stages.put(FINETUNE, StageStatus.PENDING);
      if (input.spec().data() instanceof KvRetrievalData) {
        stages.put(EVALUATE, StageStatus.PENDING);
      }
      if (plan != null) {
        List.of(DOWNSTREAM, DETECT, KNOCKOUT).forEach(s -> stages.put(s, StageStatus.PENDING));
      }
    }
    String id = input.experimentId();
    records.variantStarted(id, variant, ExperimentSpec.canonicalJson(input.spec()));
    try {
      var data = input.spec().data();
      DatasetRef dataset =
          stage(SYNTHESIZE, () -> synthesis.synthesize(new SynthesisRequest(id, variant,
              StageKeys.of(SYNTHESIZE, StageKeys.SYNTHESIS_VERSION, data), data)));
      ModelRef model = null;
      EvaluationResult evaluation = null;
      if (train != null) {
        ModelRef base = input.baseModel();
        String tuneKey = StageKeys.of(FINETUNE, StageKeys.FINETUNE_VERSION, train, dataset.sha256(), base.stageKey());
        model = stage(FINETUNE, () -> training.fineTune(new FineTuneRequest(id, variant, tuneKey, base, dataset, train)));
        ModelRef tuned = model;
        if (data instanceof KvRetrievalData kv) { // the other tasks are scored by the analysis stages
          String evalKey = StageKeys.of(EVALUATE, StageKeys.EVALUATION_VERSION, kv, tuned.stageKey(),
              "n=" + train.evalExamples());
          evaluation = stage(EVALUATE, () -> training.evaluate(
              new EvaluationRequest(id, variant, evalKey, tuned, kv, train.evalExamples())));
        }
      }
      VariantFindings findings = null;
      if (model != null && plan != null
          && Workflow.getVersion(ANALYSIS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        findings = analyse(id, model, evaluation, plan);
      }
      records.variantFinished(id, variant, true, null);
      return new VariantResult(variant, dataset, model, evaluation, findings);
    } catch (RuntimeException e) {
      records.variantFinished(id, variant, false, e.getMessage());
      throw e;
    }
  }

  /** Downstream score, retrieval heads, knockout sweep: everything but patching (the parent's). */
  private VariantFindings analyse(String id, ModelRef model, EvaluationResult own, AnalysisPlan plan) {
    AnalysisSpec spec = plan.spec();
    String modelKey = model.stageKey();
    String downstreamKey = StageKeys.of(DOWNSTREAM, StageKeys.TASK_EVALUATION_VERSION,
        "n=" + spec.downstreamExamples() + ",tokens=" + spec.detection().maxNewTokens(),
        plan.downstreamData().sha256(), modelKey);
    TaskScore downstream = stage(DOWNSTREAM, () -> analysis.evaluateTask(new TaskEvaluationRequest(
        id, variant, downstreamKey, model, spec.downstreamSet(), plan.downstreamData(),
        spec.downstreamExamples(), spec.detection().maxNewTokens())));
    String detectKey = StageKeys.of(DETECT, StageKeys.DETECTION_VERSION, spec.detection(),
        plan.detectionData().sha256(), modelKey);
    HeadScores heads = stage(DETECT, () -> analysis.detectHeads(
        new DetectionRequest(id, variant, detectKey, model, plan.detectionData(), spec.detection())));
    String knockoutKey = StageKeys.of(KNOCKOUT, StageKeys.KNOCKOUT_VERSION, spec.knockout(),
        plan.detectionData().sha256(), detectKey);
    KnockoutCurve knockout = stage(KNOCKOUT, () -> analysis.knockout(new KnockoutRequest(
        id, variant, knockoutKey, model, plan.detectionData(), heads, spec.knockout(),
        spec.detection().maxNewTokens())));
    return new VariantFindings(variant, own, heads, knockout, downstream, null);
  }

  private <T> T stage(String name, Supplier<T> body) {
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
