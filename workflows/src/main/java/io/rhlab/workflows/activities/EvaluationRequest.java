package io.rhlab.workflows.activities;

import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.TaskData;

/**
 * Evaluate a model on held-out key-value examples drawn like the variant's data but from another
 * seed.
 *
 * @param examples how many held-out examples
 */
public record EvaluationRequest(
    String experimentId, String variant, String stageKey, ModelRef model, KvRetrievalData data, int examples) {

  /**
   * From a variant's data, which must be key-value data: the spec refuses a train section (and so
   * evaluation) for every other task until their evaluation is wired.
   *
   * @throws IllegalArgumentException for data of another task
   */
  public EvaluationRequest(
      String experimentId, String variant, String stageKey, ModelRef model, TaskData data, int examples) {
    this(experimentId, variant, stageKey, model, keyValue(data), examples);
  }

  private static KvRetrievalData keyValue(TaskData data) {
    if (data instanceof KvRetrievalData kv) {
      return kv;
    }
    throw new IllegalArgumentException("evaluation of task " + data.taskName() + " is not supported yet");
  }
}
