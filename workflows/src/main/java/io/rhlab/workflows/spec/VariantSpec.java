package io.rhlab.workflows.spec;

/**
 * One arm of an experiment: its own data (and, in later stages, its own training).
 *
 * @param name unique within the experiment; part of object keys and child workflow ids
 * @param task the data task, one of {@link TaskData#TASKS}
 * @param data the task's generation parameters, the record that belongs to the task
 * @param train fine-tuning of the base model on this variant's data (any task: prompt, then answer);
 *     null: data only
 */
public record VariantSpec(String name, String task, TaskData data, TrainSpec train) {

  /** Decodes a validated variant (a workflow argument): the data's record follows the task. */
  @com.fasterxml.jackson.annotation.JsonCreator
  static VariantSpec fromJson(
      @com.fasterxml.jackson.annotation.JsonProperty("name") String name,
      @com.fasterxml.jackson.annotation.JsonProperty("task") String task,
      @com.fasterxml.jackson.annotation.JsonProperty("data") com.fasterxml.jackson.databind.JsonNode data,
      @com.fasterxml.jackson.annotation.JsonProperty("train") TrainSpec train) {
    return new VariantSpec(name, task, data == null || data.isNull() ? null : TaskData.fromJson(task, data), train);
  }

  /** Defaults of fine-tuning, tuned for the embedded default on 2 CPU cores. */
  static final TrainSpec FINETUNE_DEFAULTS =
      new TrainSpec(400, 16, 1, 1e-3, 20, 0.1, 0.01, 1.0, 512, 100, 200, 1);

  static VariantSpec read(SpecReader r, long experimentSeed) {
    String name = r.name("name", null);
    String task = r.choice("task", KvRetrievalData.TASK, TaskData.TASKS);
    SpecReader d = r.object("data");
    TaskData data = null;
    if (d != null) {
      data = readData(task, d, experimentSeed);
      d.finish();
    }
    TrainSpec train = null;
    if (r.has("train")) {
      SpecReader t = r.object("train");
      if (t != null) {
        train = TrainSpec.read(t, FINETUNE_DEFAULTS);
        t.finish();
      }
    } else {
      r.object("train"); // marks the field as read
    }
    return name == null || data == null ? null : new VariantSpec(name, task, data, train);
  }

  private static TaskData readData(String task, SpecReader d, long seed) {
    switch (task) {
      case MultiSubkeyKvData.TASK:
        return MultiSubkeyKvData.read(d, seed);
      case NeedleData.TASK:
        return NeedleData.read(d, seed);
      case QuadrantData.TASK:
        return QuadrantData.read(d, seed);
      case MdqaData.TASK:
        return MdqaData.read(d, seed);
      default:
        return KvRetrievalData.read(d, seed);
    }
  }

  /**
   * The data of a {@value KvRetrievalData#TASK} variant.
   *
   * @throws IllegalStateException for any other task
   */
  public KvRetrievalData kvData() {
    if (data instanceof KvRetrievalData kv) {
      return kv;
    }
    throw new IllegalStateException("variant " + name + " has task " + task + ", not " + KvRetrievalData.TASK);
  }
}
