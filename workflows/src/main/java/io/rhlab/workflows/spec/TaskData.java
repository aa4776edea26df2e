package io.rhlab.workflows.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/**
 * The generation parameters of one data task. Each implementation is a plain record whose
 * canonical JSON is part of the synthesis stage key; none carries a type id of its own (that would
 * change the keys of stored key-value datasets). Where a field's static type is this interface, the
 * field says how the type is written: see {@link #TYPE_PROPERTY}.
 */
@JsonSubTypes({
  @JsonSubTypes.Type(value = KvRetrievalData.class, name = KvRetrievalData.TASK),
  @JsonSubTypes.Type(value = MultiSubkeyKvData.class, name = MultiSubkeyKvData.TASK),
  @JsonSubTypes.Type(value = NeedleData.class, name = NeedleData.TASK),
  @JsonSubTypes.Type(value = QuadrantData.class, name = QuadrantData.TASK),
  @JsonSubTypes.Type(value = MdqaData.class, name = MdqaData.TASK)
})
public sealed interface TaskData
    permits KvRetrievalData, MultiSubkeyKvData, NeedleData, QuadrantData, MdqaData {

  /** The JSON property that names the task where a field is typed as this interface. */
  String TYPE_PROPERTY = "task";

  /** Every task name a variant may have, in the order the docs list them. */
  java.util.List<String> TASKS =
      java.util.List.of(
          KvRetrievalData.TASK, MultiSubkeyKvData.TASK, NeedleData.TASK, QuadrantData.TASK, MdqaData.TASK);

  /**
   * The record of a task's data.
   *
   * @throws IllegalArgumentException for an unknown task
   */
  static Class<? extends TaskData> type(String task) {
    for (JsonSubTypes.Type t : TaskData.class.getAnnotation(JsonSubTypes.class).value()) {
      if (t.name().equals(task)) {
        return t.value().asSubclass(TaskData.class);
      }
    }
    throw new IllegalArgumentException("task must be one of " + TASKS + ", got " + task);
  }

  /**
   * Decodes a task's data from JSON whose type is named elsewhere (a sibling "task" field).
   *
   * @throws IllegalArgumentException for an unknown task or data that does not fit its record
   */
  static TaskData fromJson(String task, com.fasterxml.jackson.databind.JsonNode data) {
    try {
      return Json.MAPPER.treeToValue(data, type(task == null ? KvRetrievalData.TASK : task));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("data of task " + task + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Holder of the mapper {@link #fromJson} uses (interfaces cannot have private fields). */
  final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();

    private Json() {}
  }

  /** The task's name, as in a variant's {@code task} field. */
  String taskName();

  /** How many examples to generate. */
  int examples();

  /** Generation seed; example i depends only on (seed, i). */
  long seed();

  /** Examples per stored JSONL part, the unit of resume. */
  int examplesPerChunk();

  /** An estimate of one example's JSONL line in bytes, used to bound memory and disk. */
  long maxExampleBytes();

  /** Number of stored parts. */
  default int chunks() {
    return (int) ((examples() + (long) examplesPerChunk() - 1) / examplesPerChunk());
  }
}
