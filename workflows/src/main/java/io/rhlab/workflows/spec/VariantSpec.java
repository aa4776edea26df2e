package io.rhlab.workflows.spec;

/**
 * One arm of an experiment: its own data (and, in later stages, its own training).
 *
 * @param name unique within the experiment; part of object keys and child workflow ids
 * @param task the data task; {@value KvRetrievalData#TASK} for now
 * @param data the task's generation parameters
 */
public record VariantSpec(String name, String task, KvRetrievalData data) {

  static VariantSpec read(SpecReader r, long experimentSeed) {
    String name = r.name("name", null);
    String task = r.choice("task", KvRetrievalData.TASK, java.util.List.of(KvRetrievalData.TASK));
    SpecReader d = r.object("data");
    KvRetrievalData data = null;
    if (d != null) {
      data = KvRetrievalData.read(d, experimentSeed);
      d.finish();
    }
    return name == null || data == null ? null : new VariantSpec(name, task, data);
  }
}
