package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.List;

/**
 * The index of a stored dataset, written last: a dataset without a manifest is incomplete.
 *
 * @param sha256 hash of all parts concatenated in order (the dataset as one JSONL file)
 */
public record DatasetManifest(
    @JsonProperty("stage_key") String stageKey,
    String task,
    KvRetrievalData spec,
    long examples,
    long bytes,
    String sha256,
    List<Part> parts) {

  /** One JSONL object of the dataset. */
  public record Part(String key, long examples, long bytes, String sha256) {}
}
