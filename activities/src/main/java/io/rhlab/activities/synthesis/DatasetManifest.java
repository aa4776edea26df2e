package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.workflows.spec.TaskData;
import java.util.List;

/**
 * The index of a stored dataset, written last: a dataset without a manifest is incomplete.
 *
 * @param task the task name; it says which record {@code spec} is
 * @param sha256 hash of all parts concatenated in order (the dataset as one JSONL file)
 */
public record DatasetManifest(
    @JsonProperty("stage_key") String stageKey,
    String task,
    TaskData spec,
    long examples,
    long bytes,
    String sha256,
    List<Part> parts) {

  @JsonCreator
  static DatasetManifest fromJson(
      @JsonProperty("stage_key") String stageKey,
      @JsonProperty("task") String task,
      @JsonProperty("spec") JsonNode spec,
      @JsonProperty("examples") long examples,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("parts") List<Part> parts) {
    return new DatasetManifest(stageKey, task, TaskData.fromJson(task, spec), examples, bytes, sha256, parts);
  }

  /** One JSONL object of the dataset. */
  public record Part(String key, long examples, long bytes, String sha256) {}
}
