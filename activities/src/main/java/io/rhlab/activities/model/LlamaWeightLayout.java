package io.rhlab.activities.model;

import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter names and shapes of a Llama model, exactly as Hugging Face names and lays them out
 * (Linear weights are (out, in)), so that checkpoint import and export are a key copy.
 */
public final class LlamaWeightLayout {

  /** Token embedding, (vocab, d). */
  public static final String EMBED_TOKENS = "model.embed_tokens.weight";

  /** Final RMSNorm gain, (d). */
  public static final String FINAL_NORM = "model.norm.weight";

  /** LM head, (vocab, d); absent when the embeddings are tied. */
  public static final String LM_HEAD = "lm_head.weight";

  private LlamaWeightLayout() {}

  /**
   * The name of a per-layer parameter.
   *
   * @param layer decoder layer
   * @param suffix e.g. {@code self_attn.q_proj.weight} or {@code input_layernorm.weight}
   * @return e.g. {@code model.layers.3.self_attn.q_proj.weight}
   */
  public static String layer(int layer, String suffix) {
    return "model.layers." + layer + "." + suffix;
  }

  /**
   * Every trainable parameter of a model in Hugging Face order; with tied embeddings there is no
   * {@link #LM_HEAD} entry (the embedding serves both), and with attention biases (Qwen2) each
   * layer has q_proj, k_proj and v_proj {@code .bias} vectors.
   *
   * @param config the model's configuration
   * @return name to shape, in a stable order
   */
  public static Map<String, Shape> shapes(ModelConfig config) {
    long d = config.dModel();
    long queryWidth = (long) config.heads() * config.headDim();
    long kvWidth = (long) config.kvHeads() * config.headDim();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    shapes.put(EMBED_TOKENS, new Shape(config.vocabSize(), d));
    for (int i = 0; i < config.layers(); i++) {
      shapes.put(layer(i, "input_layernorm.weight"), new Shape(d));
      shapes.put(layer(i, "self_attn.q_proj.weight"), new Shape(queryWidth, d));
      shapes.put(layer(i, "self_attn.k_proj.weight"), new Shape(kvWidth, d));
      shapes.put(layer(i, "self_attn.v_proj.weight"), new Shape(kvWidth, d));
      if (config.attentionBias()) {
        shapes.put(layer(i, "self_attn.q_proj.bias"), new Shape(queryWidth));
        shapes.put(layer(i, "self_attn.k_proj.bias"), new Shape(kvWidth));
        shapes.put(layer(i, "self_attn.v_proj.bias"), new Shape(kvWidth));
      }
      shapes.put(layer(i, "self_attn.o_proj.weight"), new Shape(d, queryWidth));
      shapes.put(layer(i, "post_attention_layernorm.weight"), new Shape(d));
      shapes.put(layer(i, "mlp.gate_proj.weight"), new Shape(config.dFf(), d));
      shapes.put(layer(i, "mlp.up_proj.weight"), new Shape(config.dFf(), d));
      shapes.put(layer(i, "mlp.down_proj.weight"), new Shape(d, config.dFf()));
    }
    shapes.put(FINAL_NORM, new Shape(d));
    if (!config.tiedEmbeddings()) {
      shapes.put(LM_HEAD, new Shape(config.vocabSize(), d));
    }
    return Collections.unmodifiableMap(shapes);
  }

  /** Whether a parameter is an RMSNorm gain (initialised to ones). */
  static boolean isNorm(String name) {
    return name.endsWith("layernorm.weight") || name.equals(FINAL_NORM);
  }

  /** Whether a parameter is a bias (initialised to zeros, as Hugging Face does). */
  static boolean isBias(String name) {
    return name.endsWith(".bias");
  }

  /** Whether a parameter writes into the residual stream (o_proj, down_proj). */
  static boolean isResidualOutput(String name) {
    return name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight");
  }
}
