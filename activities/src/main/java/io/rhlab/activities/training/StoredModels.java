package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.checkpoint.CheckpointStore;
import io.rhlab.activities.model.CheckpointTokenizer;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.activities.ModelRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Opens a stored model: verified download of its checkpoint, then the weights and tokenizer. */
public final class StoredModels {
  private final CheckpointStore checkpoints;

  public StoredModels(CheckpointStore checkpoints) {
    this.checkpoints = checkpoints;
  }

  /**
   * Downloads (verifying every sha256) and loads a model.
   *
   * @param ref the model
   * @param dir an empty working directory for its files
   * @param manager owns the weights
   */
  public LlamaModel open(ModelRef ref, Path dir, NDManager manager) {
    checkpoints.load(ref.manifestUri(), ref.manifestSha256(), dir);
    try {
      return LlamaCheckpoint.load(dir, manager);
    } catch (IOException e) {
      throw new UncheckedIOException("load model from " + dir, e);
    }
  }

  /** The tokenizer recorded with a model opened into {@code dir}; the caller closes it. */
  public TextTokenizer tokenizer(Path dir) {
    try {
      return CheckpointTokenizer.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("open the tokenizer in " + dir, e);
    }
  }
}
