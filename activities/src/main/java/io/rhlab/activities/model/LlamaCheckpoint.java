package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Hugging Face Llama checkpoint directories: {@code config.json} plus {@code model.safetensors} (or
 * shards listed in {@code model.safetensors.index.json}). Loading maps tensors to parameters by
 * name and widens F16/BF16 to float32; saving writes what {@code
 * transformers.LlamaForCausalLM.from_pretrained} reads.
 */
public final class LlamaCheckpoint {

  /** Name of the configuration file. */
  public static final String CONFIG_FILE = "config.json";

  /** Name of a single-file weights file. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  /** Name of the shard index of a multi-file checkpoint. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LlamaCheckpoint() {}

  /**
   * Loads a checkpoint directory into a new model.
   *
   * <p>Every parameter of {@link LlamaWeightLayout#shapes} must be present with its exact shape.
   * With tied embeddings an {@code lm_head.weight} in the file is ignored, as Hugging Face does;
   * stale {@code rotary_emb.inv_freq} buffers are ignored; any other tensor (a bias, for example)
   * is an error, since silently dropping it would change the model.
   *
   * @param directory the checkpoint directory
   * @param parent manager (and device) the model's manager is created under
   * @return the model
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException naming the tensors, if some are missing, unexpected or
   *     mis-shaped
   */
  public static LlamaModel load(Path directory, NDManager parent) throws IOException {
    ModelConfig config = ModelConfig.readHfConfig(directory.resolve(CONFIG_FILE));
    Map<String, Path> fileOf = weightFiles(directory);
    Map<String, Shape> expected = LlamaWeightLayout.shapes(config);

    List<String> missing = new ArrayList<>();
    for (String name : expected.keySet()) {
      if (!fileOf.containsKey(name)) {
        missing.add(name);
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : fileOf.keySet()) {
      boolean ignored =
          name.endsWith("rotary_emb.inv_freq")
              || (config.tiedEmbeddings() && name.equals(LlamaWeightLayout.LM_HEAD));
      if (!expected.containsKey(name) && !ignored) {
        unexpected.add(name);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException(
          directory
              + ": tensors do not match config.json: missing "
              + missing
              + ", unsupported "
              + unexpected);
    }

    NDManager manager = parent.newSubManager();
    try {
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      for (Path file : new TreeSet<>(fileOf.values())) {
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
          for (String name : weights.names()) {
            Shape shape = expected.get(name);
            if (shape == null) {
              continue;
            }
            long[] actual = weights.info(name).shape();
            if (!Arrays.equals(actual, shape.getShape())) {
              throw new IllegalArgumentException(
                  name + " must have shape " + shape + ", got " + Arrays.toString(actual));
            }
            parameters.put(name, weights.toNDArray(name, manager));
          }
        }
      }
      return LlamaModel.adopt(config, manager, parameters);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Tensor name to the file holding it, from the shard index or the single weights file. */
  private static Map<String, Path> weightFiles(Path directory) throws IOException {
    Map<String, Path> fileOf = new LinkedHashMap<>();
    Path index = directory.resolve(INDEX_FILE);
    if (Files.exists(index)) {
      JsonNode weightMap = JSON.readTree(index.toFile()).path("weight_map");
      weightMap
          .properties()
          .forEach(e -> fileOf.put(e.getKey(), directory.resolve(e.getValue().asText())));
      return fileOf;
    }
    Path single = directory.resolve(WEIGHTS_FILE);
    if (!Files.exists(single)) {
      throw new IllegalArgumentException(
          directory + " holds neither " + WEIGHTS_FILE + " nor " + INDEX_FILE);
    }
    try (SafetensorsFile weights = SafetensorsFile.open(single)) {
      weights.names().forEach(name -> fileOf.put(name, single));
    }
    return fileOf;
  }

  /**
   * Writes a model as a Hugging Face checkpoint: {@code config.json} and a float32 {@code
   * model.safetensors} with {@code {"format": "pt"}} metadata.
   *
   * @param model the model
   * @param directory destination directory, created if needed
   * @throws IOException if writing fails
   */
  public static void save(LlamaModel model, Path directory) throws IOException {
    save(model, directory, SafetensorsDType.F32);
  }

  /**
   * Writes a model as a Hugging Face checkpoint with the given weight type.
   *
   * @param model the model
   * @param directory destination directory, created if needed
   * @param dtype F32, or BF16 for half-size files (rounded to nearest even)
   * @throws IOException if writing fails
   */
  public static void save(LlamaModel model, Path directory, SafetensorsDType dtype)
      throws IOException {
    Files.createDirectories(directory);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    model.parameters().forEach(p -> tensors.put(p.name(), p.array()));
    SafetensorsWriter.write(
        directory.resolve(WEIGHTS_FILE), tensors, dtype, Map.of("format", "pt"));
    // torch_dtype names the stored type: transformers 5 loads the weights as that type
    model.config().writeHfConfig(directory.resolve(CONFIG_FILE), dtype);
  }
}
