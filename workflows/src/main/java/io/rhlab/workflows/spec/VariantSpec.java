package io.rhlab.workflows.spec;

/**
 * One arm of an experiment: its own data (and, in later stages, its own training).
 *
 * @param name unique within the experiment; part of object keys and child workflow ids
 * @param task the data task; {@value KvRetrievalData#TASK} for now
 * @param data the task's generation parameters
 * @param train fine-tuning of the base model on this variant's data; null: data only
 */
public record VariantSpec(String name, String task, KvRetrievalData data, TrainSpec train) {

  /** Defaults of fine-tuning, tuned for the embedded default on 2 CPU cores. */
  static final TrainSpec FINETUNE_DEFAULTS =
      new TrainSpec(400, 16, 1, 1e-3, 20, 0.1, 0.01, 1.0, 512, 100, 200, 1);

  static VariantSpec read(SpecReader r, long experimentSeed) {
    String name = r.name("name", null);
    String task = r.choice("task", KvRetrievalData.TASK, java.util.List.of(KvRetrievalData.TASK));
    SpecReader d = r.object("data");
    KvRetrievalData data = null;
    if (d != null) {
      data = KvRetrievalData.read(d, experimentSeed);
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
}
