package io.rhlab.activities.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
 * @param attentionBias whether the q, k and v projections carry a bias, as in Qwen2 (o_proj never
 *     does)
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
    double rmsNormEps,
    boolean attentionBias) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The config.json model types whose architecture this decoder implements. */
  public static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2");

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
   * A Llama configuration without attention biases.
   *
   * @see #ModelConfig(int, int, int, int, int, int, double, int, boolean, double, boolean)
   */
  public ModelConfig(
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
    this(
        vocabSize, dModel, layers, heads, kvHeads, dFf, ropeTheta, maxLen, tiedEmbeddings,
        rmsNormEps, false);
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
   * Reads a Hugging Face {@code config.json} of a Llama, Mistral or Qwen2 model (SmolLM and
   * TinyLlama are Llama). Missing optional fields take that model type's Hugging Face defaults;
   * features this model does not implement (rope scaling, an o_proj or MLP bias, another
   * activation, a head size other than hidden_size / heads, a sliding window shorter than the
   * positions) are rejected rather than ignored.
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
   * Builds a configuration from the JSON tree of a Hugging Face {@code config.json}.
   *
   * <p>Both config generations are read: transformers 4 writes {@code rope_theta} and {@code
   * rope_scaling}, transformers 5 writes them inside {@code rope_parameters}. Qwen2 always has q, k
   * and v biases; Llama's {@code attention_bias} would also bias o_proj and is rejected.
   *
   * @param node the parsed config.json
   * @return the configuration
   * @throws IllegalArgumentException naming the field, if a value is missing, invalid or
   *     unsupported
   */
  public static ModelConfig fromHfJson(JsonNode node) {
    String type = node.hasNonNull("model_type") ? node.get("model_type").asText() : "llama";
    if (!MODEL_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "model_type must be one of " + MODEL_TYPES + ", got \"" + type + "\"");
    }
    boolean qwen2 = type.equals("qwen2");
    if (!qwen2) {
      requireAbsentOrFalse(node, "attention_bias");
    }
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
    // the defaults of transformers' LlamaConfig, MistralConfig and Qwen2Config
    int maxLen =
        node.hasNonNull("max_position_embeddings")
            ? intField(node, "max_position_embeddings")
            : type.equals("llama") ? 2048 : 32768;
    requireFullAttention(node, qwen2, maxLen);
    return new ModelConfig(
        requiredInt(node, "vocab_size"),
        hidden,
        requiredInt(node, "num_hidden_layers"),
        heads,
        node.hasNonNull("num_key_value_heads") ? intField(node, "num_key_value_heads") : heads,
        requiredInt(node, "intermediate_size"),
        ropeTheta(node),
        maxLen,
        node.hasNonNull("tie_word_embeddings") && node.get("tie_word_embeddings").asBoolean(),
        node.hasNonNull("rms_norm_eps") ? node.get("rms_norm_eps").asDouble() : 1e-6,
        qwen2);
  }

  /** rope_theta (transformers 4) or rope_parameters.rope_theta (5), with plain rotary only. */
  private static double ropeTheta(JsonNode node) {
    for (String field : new String[] {"rope_scaling", "rope_parameters"}) {
      JsonNode rope = node.get(field);
      if (rope == null || rope.isNull()) {
        continue;
      }
      // transformers 4.4x named the kind "type", later ones "rope_type"
      JsonNode kind = rope.hasNonNull("rope_type") ? rope.get("rope_type") : rope.get("type");
      boolean plain = kind == null || kind.isNull() || "default".equals(kind.asText());
      if (!plain || (field.equals("rope_scaling") && kind == null)) {
        throw new IllegalArgumentException(
            field
                + " is not supported unless absent, null or of rope_type \"default\", got "
                + rope);
      }
    }
    JsonNode theta = node.path("rope_parameters").path("rope_theta");
    if (theta.isMissingNode() || theta.isNull()) {
      theta = node.path("rope_theta");
    }
    return theta.isMissingNode() || theta.isNull() ? 10000.0 : theta.asDouble();
  }

  /**
   * Rejects sliding-window attention where it would differ from full attention: with a window of w
   * a query sees the last w keys only, which equals full causal attention while sequences are at
   * most w long.
   */
  private static void requireFullAttention(JsonNode node, boolean qwen2, int maxLen) {
    JsonNode window = node.get("sliding_window");
    if (window == null || window.isNull()) {
      return;
    }
    // Qwen2 applies its window only with use_sliding_window (and then to some layers only)
    if (qwen2 && !node.path("use_sliding_window").asBoolean(false)) {
      return;
    }
    int w = intField(node, "sliding_window");
    if (w < maxLen) {
      throw new IllegalArgumentException(
          "sliding_window="
              + w
              + " is smaller than max_position_embeddings="
              + maxLen
              + ": sliding-window attention is not implemented (set max_position_embeddings to"
              + " at most "
              + w
              + " to use the model within its window)");
    }
  }

  /**
   * The Hugging Face {@code config.json} for float32 weights; see {@link
   * #toHfJson(SafetensorsDType)}.
   *
   * @return a new JSON object
   */
  public ObjectNode toHfJson() {
    return toHfJson(SafetensorsDType.F32);
  }

  /**
   * The Hugging Face {@code config.json} for this configuration, readable by transformers 4 and 5:
   * {@code LlamaForCausalLM}, or {@code Qwen2ForCausalLM} when the attention has q/k/v biases.
   *
   * @param weights the type the weights are stored in: {@code torch_dtype}, which transformers 5
   *     loads them as by default
   * @return a new JSON object
   */
  public ObjectNode toHfJson(SafetensorsDType weights) {
    ObjectNode node = JSON.createObjectNode();
    node.putArray("architectures").add(attentionBias ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    node.put("model_type", attentionBias ? "qwen2" : "llama");
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
    ObjectNode rope = node.putObject("rope_parameters");
    rope.put("rope_type", "default");
    rope.put("rope_theta", ropeTheta);
    node.put("max_position_embeddings", maxLen);
    node.put("tie_word_embeddings", tiedEmbeddings);
    node.put("rms_norm_eps", rmsNormEps);
    if (attentionBias) {
      node.put("use_sliding_window", false);
      node.putNull("sliding_window");
    } else {
      node.put("attention_bias", false);
      node.put("mlp_bias", false);
    }
    node.put("torch_dtype", weights.torchName());
    return node;
  }

  /**
   * Writes {@link #toHfJson()} to a file.
   *
   * @param file destination, usually {@code <checkpoint>/config.json}
   * @throws IOException if the file cannot be written
   */
  public void writeHfConfig(Path file) throws IOException {
    writeHfConfig(file, SafetensorsDType.F32);
  }

  /**
   * Writes {@link #toHfJson(SafetensorsDType)} to a file.
   *
   * @param file destination, usually {@code <checkpoint>/config.json}
   * @param weights the type the weights are stored in
   * @throws IOException if the file cannot be written
   */
  public void writeHfConfig(Path file, SafetensorsDType weights) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(toHfJson(weights)) + "\n");
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
