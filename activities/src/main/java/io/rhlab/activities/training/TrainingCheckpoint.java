package io.rhlab.activities.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.SafetensorsDType;
import io.rhlab.activities.model.SafetensorsFile;
import io.rhlab.activities.model.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A resumable training checkpoint: one directory holding
 *
 * <pre>
 * config.json           the model's Hugging Face config     (LlamaCheckpoint)
 * model.safetensors     the weights, float32, HF names      (LlamaCheckpoint)
 * optimizer.safetensors AdamW moments, float32: exp_avg.&lt;name&gt;, exp_avg_sq.&lt;name&gt;
 * trainer_state.json    step, data cursor, optimizer update count, seed, TrainingConfig, data
 * </pre>
 *
 * The first two alone are a Hugging Face checkpoint ({@code LlamaForCausalLM.from_pretrained} reads
 * them). {@code trainer_state.json} is written last, through a temporary file and an atomic move,
 * so a directory without it is an incomplete write and {@link #read} refuses it.
 *
 * <p>Resuming is exact: weights and moments are stored as float32 bit patterns, the learning rate
 * is a function of the step, and batches are a function of (seed, step), so training k steps,
 * writing, reading into a fresh model and trainer and training k more gives bitwise the weights of
 * 2k uninterrupted steps (see the test).
 */
public final class TrainingCheckpoint {

  /** Name of the optimizer-state file. */
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";

  /** Name of the trainer-state file. */
  public static final String STATE_FILE = "trainer_state.json";

  /** Version of the trainer_state.json layout. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TrainingCheckpoint() {}

  /**
   * The contents of {@code trainer_state.json}.
   *
   * @param step steps completed; training resumes at this step
   * @param optimizerUpdates AdamW updates done (equal to step for a trainer that never failed)
   * @param config the run's configuration (its seed is the data seed)
   * @param data the batch source's description when the checkpoint was written
   */
  public record State(long step, long optimizerUpdates, TrainingConfig config, String data) {}

  /** A model and its trainer restored from a checkpoint; closing frees both. */
  public record Restored(LlamaModel model, Trainer trainer, State state) implements AutoCloseable {
    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  /**
   * Writes a trainer's model, optimizer state and progress.
   *
   * @param directory destination, created if needed; files of an older checkpoint are replaced
   * @param trainer the trainer (between steps)
   * @throws IOException if writing fails
   */
  public static void write(Path directory, Trainer trainer) throws IOException {
    Files.createDirectories(directory);
    Files.deleteIfExists(directory.resolve(STATE_FILE)); // incomplete until rewritten below
    LlamaCheckpoint.save(trainer.model(), directory);
    AdamW optimizer = trainer.optimizer();
    Map<String, NDArray> moments = new LinkedHashMap<>(optimizer.state());
    SafetensorsWriter.write(
        directory.resolve(OPTIMIZER_FILE),
        moments,
        SafetensorsDType.F32,
        Map.of("format", "pt", "updates", Long.toString(optimizer.updates())));

    ObjectNode state = JSON.createObjectNode();
    state.put("format_version", FORMAT_VERSION);
    state.put("step", trainer.completedSteps());
    ObjectNode cursor = state.putObject("data_cursor");
    cursor.put("step", trainer.completedSteps());
    cursor.put("micro_step", 0);
    state.put("optimizer_updates", optimizer.updates());
    state.put("seed", trainer.config().seed());
    state.set("config", JSON.valueToTree(trainer.config()));
    state.put("data", trainer.data().describe());
    Path temporary = directory.resolve(STATE_FILE + ".partial");
    Files.writeString(temporary, JSON.writeValueAsString(state) + "\n");
    Files.move(
        temporary, directory.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads {@code trainer_state.json} alone (for example to rebuild the batch source first).
   *
   * @param directory a checkpoint directory
   * @return the trainer state
   * @throws IOException if the file is missing or unreadable
   * @throws IllegalArgumentException naming the field, if the file is malformed
   */
  public static State readState(Path directory) throws IOException {
    Path file = directory.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      throw new IOException(directory + " holds no " + STATE_FILE + " (incomplete checkpoint?)");
    }
    JsonNode node = JSON.readTree(file.toFile());
    int version = node.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          STATE_FILE + ": format_version must be " + FORMAT_VERSION + ", got "
              + node.get("format_version"));
    }
    for (String field : new String[] {"step", "optimizer_updates", "config"}) {
      if (!node.hasNonNull(field)) {
        throw new IllegalArgumentException(STATE_FILE + ": " + field + " is required");
      }
    }
    TrainingConfig config = JSON.treeToValue(node.get("config"), TrainingConfig.class);
    return new State(
        node.get("step").asLong(), node.get("optimizer_updates").asLong(), config,
        node.path("data").asText(""));
  }

  /**
   * Loads a checkpoint into a new model and a trainer positioned at the saved step.
   *
   * @param directory a checkpoint directory
   * @param parent manager (and device) for the model and optimizer state
   * @param data builds the batch source from the saved configuration; it must produce the same
   *     batches as the original run's source (same examples or generator, same seed)
   * @return the model and trainer; close to free them
   * @throws IOException if a file is missing or unreadable
   * @throws IllegalArgumentException if the files do not match each other
   */
  public static Restored read(
      Path directory, NDManager parent, Function<TrainingConfig, BatchSource> data)
      throws IOException {
    State state = readState(directory);
    LlamaModel model = LlamaCheckpoint.load(directory, parent);
    Trainer trainer = null;
    try {
      trainer = new Trainer(model, state.config(), data.apply(state.config()));
      try (NDManager scratch = parent.newSubManager();
          SafetensorsFile file = SafetensorsFile.open(directory.resolve(OPTIMIZER_FILE))) {
        String saved = file.metadata().get("updates");
        if (saved != null && Long.parseLong(saved) != state.optimizerUpdates()) {
          throw new IllegalArgumentException(
              OPTIMIZER_FILE + " was written after " + saved + " updates but " + STATE_FILE
                  + " says " + state.optimizerUpdates());
        }
        Map<String, NDArray> moments = new LinkedHashMap<>();
        for (String name : file.names()) {
          moments.put(name, file.toNDArray(name, scratch));
        }
        trainer.restore(state.step(), moments, state.optimizerUpdates());
      }
      return new Restored(model, trainer, state);
    } catch (IOException | RuntimeException e) {
      if (trainer != null) {
        trainer.close();
      }
      model.close();
      throw e;
    }
  }
}
