package io.rhlab.activities.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shape of a Llama-architecture decoder. One immutable record is passed to every part of the model,
 * and it round-trips through a Hugging Face {@code config.json} so real checkpoints load and
 * fine-tuned ones export back.
 *
 * @param vocabSize number of token ids ({@code vocab_size})
 * @param dModel residual stream width ({@code hidden_size})
 * @param layers number of decoder layers ({@code num_hidden_layers})
 * @param heads query heads per layer ({@code num_attention_heads})
 * @param kvHeads key/value heads per layer, dividing {@code heads}; fewer than {@code heads} is
 *     grouped-query attention ({@code num_key_value_heads})
 * @param dFf SwiGLU hidden width ({@code intermediate_size})
 * @param ropeTheta rotary base frequency ({@code rope_theta})
 * @param maxLen longest sequence (prompt plus generated tokens) the rotary table covers ({@code
 *     max_position_embeddings})
 * @param tiedEmbeddings whether the LM head reuses the token embedding ({@code
 *     tie_word_embeddings})
 * @param rmsNormEps epsilon inside RMSNorm ({@code rms_norm_eps})
 */
public record ModelConfig(
    int vocabSize,
    int dModel,
    int layers,
    int heads,
    int kvHeads,
    int dFf,
    double ropeTheta,
    int maxLen,
    boolean tiedEmbeddings,
    double rmsNormEps) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates every field; the message names the field and its allowed range. */
  public ModelConfig {
    requirePositive("vocabSize", vocabSize);
    requirePositive("dModel", dModel);
    requirePositive("layers", layers);
    requirePositive("heads", heads);
    requirePositive("kvHeads", kvHeads);
    requirePositive("dFf", dFf);
    requirePositive("maxLen", maxLen);
    if (dModel % heads != 0) {
      throw new IllegalArgumentException(
          "dModel must be a multiple of heads, got dModel=" + dModel + ", heads=" + heads);
    }
    if ((dModel / heads) % 2 != 0) {
      throw new IllegalArgumentException(
          "dModel / heads (the head size) must be even for rotary embedding, got "
              + (dModel / heads));
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "kvHeads must divide heads, got kvHeads=" + kvHeads + ", heads=" + heads);
    }
    if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
      throw new IllegalArgumentException("ropeTheta must be a finite number > 0, got " + ropeTheta);
    }
    if (!(rmsNormEps > 0) || rmsNormEps >= 1) {
      throw new IllegalArgumentException("rmsNormEps must be in (0, 1), got " + rmsNormEps);
    }
  }

  /**
   * A small model that trains from scratch on two CPU cores in minutes (about 0.9 M parameters with
   * a 512-token vocabulary).
   *
   * @param vocabSize the tokenizer's vocabulary size
   * @return the tiny default configuration
   */
  public static ModelConfig tiny(int vocabSize) {
    return new ModelConfig(
        vocabSize,
        128, // dModel: head size 16 with 8 heads; wide enough for a copy/induction curriculum
        4, // layers: two is the minimum for induction heads; four leaves room for retrieval
        8, // heads: 32 heads in all, enough to rank and knock out a top-K set
        8, // kvHeads: plain multi-head attention; use fewer to try grouped-query attention
        344, // dFf: about 8/3 * dModel as in Llama, rounded to a multiple of 8
        10000.0, // ropeTheta: the Llama-2 base
        2048, // maxLen: long enough for the synthetic key-value prompts at this size
        true, // tiedEmbeddings: saves vocab * dModel parameters on a tiny model
        1e-5); // rmsNormEps: Llama-2's value
  }

  /** Size of one attention head: {@code dModel / heads}. */
  public int headDim() {
    return dModel / heads;
  }

  /** Query heads sharing one key/value head: {@code heads / kvHeads}. */
  public int groupSize() {
    return heads / kvHeads;
  }

  /**
   * Reads a Hugging Face Llama {@code config.json}. Missing optional fields take Hugging Face's
   * LlamaConfig defaults; features this model does not implement (rope scaling, biases, another
   * activation, a head size other than hidden_size / heads) are rejected rather than ignored.
   *
   * @param file path of the config.json
   * @return the configuration
   * @throws IOException if the file cannot be read or is not JSON
   * @throws IllegalArgumentException naming the field, if a value is missing, invalid or
   *     unsupported
   */
  public static ModelConfig readHfConfig(Path file) throws IOException {
    return fromHfJson(JSON.readTree(file.toFile()));
  }

  /**
   * Builds a configuration from the JSON tree of a Hugging Face Llama {@code config.json}.
   *
   * @param node the parsed config.json
   * @return the configuration
   * @throws IllegalArgumentException naming the field, if a value is missing, invalid or
   *     unsupported
   */
  public static ModelConfig fromHfJson(JsonNode node) {
    requireAbsentOrNull(node, "rope_scaling");
    requireAbsentOrFalse(node, "attention_bias");
    requireAbsentOrFalse(node, "mlp_bias");
    if (node.hasNonNull("hidden_act") && !"silu".equals(node.get("hidden_act").asText())) {
      throw new IllegalArgumentException(
          "hidden_act must be \"silu\", got " + node.get("hidden_act"));
    }
    int hidden = requiredInt(node, "hidden_size");
    int heads = requiredInt(node, "num_attention_heads");
    if (node.hasNonNull("head_dim")
        && heads > 0
        && node.get("head_dim").asInt() * heads != hidden) {
      throw new IllegalArgumentException(
          "head_dim must equal hidden_size / num_attention_heads, got head_dim="
              + node.get("head_dim")
              + ", hidden_size="
              + hidden
              + ", num_attention_heads="
              + heads);
    }
    return new ModelConfig(
        requiredInt(node, "vocab_size"),
        hidden,
        requiredInt(node, "num_hidden_layers"),
        heads,
        node.hasNonNull("num_key_value_heads") ? intField(node, "num_key_value_heads") : heads,
        requiredInt(node, "intermediate_size"),
        node.hasNonNull("rope_theta") ? node.get("rope_theta").asDouble() : 10000.0,
        node.hasNonNull("max_position_embeddings")
            ? intField(node, "max_position_embeddings")
            : 2048,
        node.hasNonNull("tie_word_embeddings") && node.get("tie_word_embeddings").asBoolean(),
        node.hasNonNull("rms_norm_eps") ? node.get("rms_norm_eps").asDouble() : 1e-6);
  }

  /**
   * The Hugging Face Llama {@code config.json} for this configuration, readable by {@code
   * transformers.LlamaForCausalLM.from_pretrained}.
   *
   * @return a new JSON object
   */
  public ObjectNode toHfJson() {
    ObjectNode node = JSON.createObjectNode();
    node.putArray("architectures").add("LlamaForCausalLM");
    node.put("model_type", "llama");
    node.put("vocab_size", vocabSize);
    node.put("hidden_size", dModel);
    node.put("num_hidden_layers", layers);
    node.put("num_attention_heads", heads);
    node.put("num_key_value_heads", kvHeads);
    node.put("head_dim", headDim());
    node.put("intermediate_size", dFf);
    node.put("hidden_act", "silu");
    node.put("rope_theta", ropeTheta);
    node.putNull("rope_scaling");
    node.put("max_position_embeddings", maxLen);
    node.put("tie_word_embeddings", tiedEmbeddings);
    node.put("rms_norm_eps", rmsNormEps);
    node.put("attention_bias", false);
    node.put("mlp_bias", false);
    node.put("torch_dtype", "float32");
    return node;
  }

  /**
   * Writes {@link #toHfJson()} to a file.
   *
   * @param file destination, usually {@code <checkpoint>/config.json}
   * @throws IOException if the file cannot be written
   */
  public void writeHfConfig(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(toHfJson()) + "\n");
  }

  private static int requiredInt(JsonNode node, String field) {
    if (!node.hasNonNull(field)) {
      throw new IllegalArgumentException(field + " is required in config.json");
    }
    return intField(node, field);
  }

  private static int intField(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static void requireAbsentOrNull(JsonNode node, String field) {
    if (node.hasNonNull(field)) {
      throw new IllegalArgumentException(
          field + " is not supported (must be absent or null), got " + node.get(field));
    }
  }

  private static void requireAbsentOrFalse(JsonNode node, String field) {
    if (node.hasNonNull(field) && node.get(field).asBoolean()) {
      throw new IllegalArgumentException(
          field + " is not supported (must be absent or false), got " + node.get(field));
    }
  }

  private static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be >= 1, got " + value);
    }
  }
}
