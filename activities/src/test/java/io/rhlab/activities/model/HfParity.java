package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Java half of the Hugging Face parity check (bench/hf-parity.sh; not a test): run between the
 * Python script's {@code prepare} and {@code compare} phases.
 *
 * <p>{@code HfParity <workdir>}:
 *
 * <ol>
 *   <li>exports two random models with {@link LlamaCheckpoint#save} into {@code
 *       <workdir>/java-llama} (grouped-query, untied, rope_theta 5e5) and {@code
 *       <workdir>/java-qwen2} (q/k/v biases, tied, rope_theta 1e6), and a bfloat16 one into {@code
 *       <workdir>/java-llama-bf16}, for transformers to load;
 *   <li>for every directory of {@code <workdir>} holding a config.json (those two and the models
 *       transformers saved), loads it with {@link LlamaCheckpoint#load} and writes the logits of
 *       {@code <workdir>/tokens.json} ([[ids...], ...], equal-length rows) to {@code
 *       java_logits.json} as {"shape": [B, T, V], "logits": [flat floats], "greedy": [40 ids]},
 *       the last being {@link GreedyDecoder}'s continuation of the first row's first 16 tokens;
 *   <li>for every directory holding {@code texts.json} and a tokenizer.json, writes {@link
 *       HfTokenizer#encode} of each text, the {@link HfTokenizer#decode} of those ids, and the
 *       vocabulary size and special ids to {@code java_ids.json}.
 * </ol>
 */
public final class HfParity {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GREEDY_PROMPT = 16;
  private static final int GREEDY_NEW = 40;

  private HfParity() {}

  /**
   * Runs the Java side.
   *
   * @param args the work directory
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: HfParity <workdir>");
    }
    Path work = Path.of(args[0]);
    int[][] tokens = JSON.readValue(work.resolve("tokens.json").toFile(), int[][].class);
    try (NDManager manager = NDManager.newBaseManager()) {
      export(
          new ModelConfig(97, 64, 2, 4, 2, 96, 500000.0, 128, false, 1e-5),
          21,
          work.resolve("java-llama"),
          SafetensorsDType.F32,
          manager);
      export(
          new ModelConfig(97, 64, 2, 4, 2, 96, 1000000.0, 128, true, 1e-6, true),
          22,
          work.resolve("java-qwen2"),
          SafetensorsDType.F32,
          manager);
      export(
          new ModelConfig(97, 64, 2, 4, 4, 96, 10000.0, 128, false, 1e-5),
          23,
          work.resolve("java-llama-bf16"),
          SafetensorsDType.BF16,
          manager);
      for (Path dir : subdirectories(work)) {
        if (Files.exists(dir.resolve(LlamaCheckpoint.CONFIG_FILE))) {
          writeLogits(dir, tokens, manager);
        }
        if (Files.exists(dir.resolve("texts.json"))
            && Files.exists(dir.resolve(HfTokenizer.TOKENIZER_FILE))) {
          writeIds(dir);
        }
      }
    }
  }

  /** Random weights well away from zero (norms 1 +- 0.1, matrices and biases std 0.2). */
  private static void export(
      ModelConfig config, long seed, Path dir, SafetensorsDType dtype, NDManager manager)
      throws IOException {
    Map<String, float[]> weights = ReferenceLlama.randomWeights(config, seed, 0.2);
    try (LlamaModel model = TestModels.model(config, weights, manager)) {
      LlamaCheckpoint.save(model, dir, dtype);
    }
    System.out.println("exported " + dir.getFileName());
  }

  private static void writeLogits(Path dir, int[][] tokens, NDManager manager)
      throws IOException {
    try (NDManager scope = manager.newSubManager();
        LlamaModel model = LlamaCheckpoint.load(dir, scope)) {
      NDArray logits = model.forward(LlamaModel.tokenArray(scope, tokens)).logits();
      ObjectNode out = JSON.createObjectNode();
      ArrayNode shape = out.putArray("shape");
      for (long size : logits.getShape().getShape()) {
        shape.add(size);
      }
      ArrayNode values = out.putArray("logits");
      for (float value : logits.toFloatArray()) {
        values.add(value);
      }
      // greedy decoding through the KV cache from the first row's first 16 tokens
      int[] prompt = java.util.Arrays.copyOf(tokens[0], GREEDY_PROMPT);
      out.set(
          "greedy",
          JSON.valueToTree(
              new GreedyDecoder(model).decode(prompt, GREEDY_NEW, java.util.Set.of(), null).tokens()));
      JSON.writeValue(dir.resolve("java_logits.json").toFile(), out);
      System.out.println("logits " + dir.getFileName() + " " + logits.getShape());
    }
  }

  private static void writeIds(Path dir) throws IOException {
    JsonNode texts = JSON.readTree(dir.resolve("texts.json").toFile());
    List<int[]> ids = new ArrayList<>();
    List<String> decoded = new ArrayList<>();
    ObjectNode special = JSON.createObjectNode();
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      for (JsonNode text : texts) {
        int[] encoded = tokenizer.encode(text.asText());
        ids.add(encoded);
        decoded.add(tokenizer.decode(encoded));
      }
      special.put("vocab", tokenizer.vocabSize());
      special.put("bos", tokenizer.bosId());
      special.put("eos", tokenizer.eosId());
      special.put("pad", tokenizer.padId());
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("ids", JSON.valueToTree(ids));
    out.set("decoded", JSON.valueToTree(decoded));
    out.set("special", special);
    JSON.writeValue(dir.resolve("java_ids.json").toFile(), out);
    System.out.println("ids " + dir.getFileName() + " " + ids.size() + " texts");
  }

  private static List<Path> subdirectories(Path work) throws IOException {
    try (Stream<Path> list = Files.list(work)) {
      return list.filter(Files::isDirectory).sorted().toList();
    }
  }
}
