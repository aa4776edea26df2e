package io.rhlab.activities.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The index of one stored checkpoint, uploaded after all its files: a checkpoint without a
 * registered manifest does not exist.
 *
 * @param runId the experiment/variant run that wrote it (checkpoints are stored by stage key)
 */
public record CheckpointManifest(
    @JsonProperty("stage_key") String stageKey,
    @JsonProperty("run_id") String runId,
    long step,
    List<File> files) {

  /** One file of the checkpoint directory. */
  public record File(String name, String key, long bytes, String sha256) {}
}
