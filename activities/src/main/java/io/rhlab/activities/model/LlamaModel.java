package io.rhlab.activities.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Llama-architecture decoder (token embedding, RMSNorm, rotary attention with optional
 * grouped-query heads, SwiGLU MLP, final norm, LM head) written as explicit NDArray operations on
 * DJL's PyTorch engine, with retrieval-head instrumentation inside the attention blocks.
 *
 * <p>Parameters are plain float32 NDArrays keyed by their Hugging Face names (see {@link
 * LlamaWeightLayout}), so checkpoints load and export by name, and DJL's block naming plays no
 * part. Every parameter requires a gradient: inside a {@code GradientCollector} the same forward
 * trains; outside one (PyTorch grad mode off) no graph is built. Grad mode is per thread: on a
 * thread other than the one that started the engine call {@link GradMode#offOnThisThread()} first
 * ({@code Trainer} and {@link GreedyDecoder} do).
 *
 * <p>Memory: a forward works in a child of the token array's manager, one grandchild per layer
 * whose temporaries are freed when the layer ends; only the logits survive, in the token array's
 * manager. Parameters, the rotary table and cached causal masks belong to the model's manager:
 * close the model to free them. Not thread-safe: use one model per thread.
 */
public final class LlamaModel implements AutoCloseable {

  /**
   * Standard deviation of a freshly initialised weight that reads a d_model-wide input: fan-in
   * scaling, 1/sqrt(d_model). Hugging Face's fixed initializer_range of 0.02 is about this at the
   * widths it was tuned for (d_model 2048-4096) but 4.4x smaller at d_model 128, where it starts
   * attention logits near 0.05 and stretched the plateau before the demo's lookup heads formed
   * from 200-400 to 700-1000 steps (KvDemoExperiment, bench/RESULTS.md).
   */
  public static double initStd(ModelConfig config) {
    return 1 / Math.sqrt(config.dModel());
  }

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final DecoderLayer[] layers;
  private final RotaryEmbedding rotary;
  private final CausalMask causalMask;
  private final NDArray embedTokens;
  private final NDArray finalNorm;
  private final NDArray lmHead;

  private LlamaModel(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    Map<String, Shape> expected = LlamaWeightLayout.shapes(config);
    if (!expected.keySet().equals(parameters.keySet())) {
      List<String> missing = new ArrayList<>(expected.keySet());
      missing.removeAll(parameters.keySet());
      List<String> unexpected = new ArrayList<>(parameters.keySet());
      unexpected.removeAll(expected.keySet());
      throw new IllegalArgumentException(
          "parameters do not match the configuration: missing "
              + missing
              + ", unexpected "
              + unexpected);
    }
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> entry : expected.entrySet()) {
      NDArray array = parameters.get(entry.getKey());
      if (!array.getShape().equals(entry.getValue())) {
        throw new IllegalArgumentException(
            entry.getKey() + " must have shape " + entry.getValue() + ", got " + array.getShape());
      }
      if (array.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(
            entry.getKey() + " must be float32, got " + array.getDataType());
      }
      array.setName(entry.getKey());
      array.setRequiresGradient(true);
      ordered.put(entry.getKey(), array);
    }
    this.parameters = Collections.unmodifiableMap(ordered);
    this.layers = new DecoderLayer[config.layers()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = new DecoderLayer(i, config, ordered);
    }
    this.rotary =
        new RotaryEmbedding(manager, config.headDim(), config.maxLen(), config.ropeTheta());
    this.causalMask = new CausalMask(manager);
    this.embedTokens = ordered.get(LlamaWeightLayout.EMBED_TOKENS);
    this.finalNorm = ordered.get(LlamaWeightLayout.FINAL_NORM);
    this.lmHead = config.tiedEmbeddings() ? embedTokens : ordered.get(LlamaWeightLayout.LM_HEAD);
  }

  /**
   * A freshly initialised model: RMSNorm gains 1, biases 0, other weights normal(0, {@link
   * #initStd}), except o_proj and down_proj, which write into the residual stream and get {@code
   * initStd / sqrt(2 * layers)} (GPT-2's scaling, which keeps deep stacks stable from scratch). The
   * values are drawn in Java from {@code java.util.Random}, seeded per parameter from {@code seed}
   * and the parameter's name, so they are identical on every machine and engine.
   *
   * @param config the model's configuration
   * @param seed initialisation seed
   * @param parent manager (and device) the model's own manager is created under
   * @return the model; close it to free its parameters
   */
  public static LlamaModel initialize(ModelConfig config, long seed, NDManager parent) {
    return initialize(config, seed, null, parent);
  }

  /**
   * A freshly initialised model as {@link #initialize(ModelConfig, long, NDManager)}, with layer
   * 0's q and k biases set by a recency prior.
   *
   * @param prior the prior, or null for zero biases
   * @throws IllegalArgumentException if a prior is given and the config has no attention biases
   */
  public static LlamaModel initialize(ModelConfig config, long seed, RecencyPrior prior, NDManager parent) {
    if (prior != null && !config.attentionBias()) {
      throw new IllegalArgumentException("a recency prior needs attentionBias (q/k biases) in the model config");
    }
    NDManager manager = parent.newSubManager();
    try {
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      double baseStd = initStd(config);
      double residualStd = baseStd / Math.sqrt(2.0 * config.layers());
      for (Map.Entry<String, Shape> entry : LlamaWeightLayout.shapes(config).entrySet()) {
        String name = entry.getKey();
        float[] values = new float[Math.toIntExact(entry.getValue().size())];
        if (LlamaWeightLayout.isNorm(name)) {
          java.util.Arrays.fill(values, 1f);
        } else if (!LlamaWeightLayout.isBias(name)) {
          double std = LlamaWeightLayout.isResidualOutput(name) ? residualStd : baseStd;
          Random random = new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
          }
        }
        if (prior != null && name.equals(LlamaWeightLayout.layer(0, "self_attn.q_proj.bias"))) {
          values = prior.queryBias(config);
        } else if (prior != null && name.equals(LlamaWeightLayout.layer(0, "self_attn.k_proj.bias"))) {
          values = prior.keyBias(config);
        }
        parameters.put(name, NativeArrays.floats(manager, values, entry.getValue()));
      }
      return new LlamaModel(config, manager, parameters);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * A model holding copies of the given float32 parameters (the caller keeps ownership of its
   * arrays). Used by checkpoint loading and by tests that build models with chosen weights.
   *
   * @param config the model's configuration
   * @param parameters every name of {@link LlamaWeightLayout#shapes} with its array
   * @param parent manager (and device) the model's own manager is created under
   * @return the model; close it to free its parameters
   * @throws IllegalArgumentException if a name is missing or unexpected, or a shape or type differs
   */
  public static LlamaModel fromParameters(
      ModelConfig config, Map<String, NDArray> parameters, NDManager parent) {
    NDManager manager = parent.newSubManager();
    try {
      Map<String, NDArray> copies = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
        NDArray source = entry.getValue();
        NDArray copy =
            source.getDevice().equals(manager.getDevice())
                ? source.duplicate()
                : source.toDevice(manager.getDevice(), true);
        copies.put(entry.getKey(), NativeArrays.into(manager, copy));
      }
      return new LlamaModel(config, manager, copies);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Takes ownership of arrays already created in {@code manager}; for checkpoint loading. */
  static LlamaModel adopt(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
    return new LlamaModel(config, manager, parameters);
  }

  /** The model's own manager, parent of its caches and of a decoder's per-call scopes. */
  NDManager manager() {
    return manager;
  }

  /** The model's configuration. */
  public ModelConfig config() {
    return config;
  }

  /** The device the parameters live on; token arrays must be on it too. */
  public Device device() {
    return manager.getDevice();
  }

  /**
   * The trainable parameters in Hugging Face order; with tied embeddings the embedding appears once
   * and also serves as the LM head.
   *
   * @return (name, array) pairs whose arrays require gradients
   */
  public List<NamedParameter> parameters() {
    List<NamedParameter> list = new ArrayList<>();
    parameters.forEach((name, array) -> list.add(new NamedParameter(name, array)));
    return list;
  }

  /**
   * One parameter by Hugging Face name.
   *
   * @param name e.g. {@code model.layers.0.self_attn.q_proj.weight}
   * @return the model's array (not a copy)
   * @throws IllegalArgumentException if there is no such parameter
   */
  public NDArray parameter(String name) {
    NDArray array = parameters.get(name);
    if (array == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return array;
  }

  /**
   * Sets every parameter's gradient to zero in place. PyTorch adds each backward pass into the
   * existing gradients (DJL's collector does not reset them), so a trainer calls this after each
   * optimizer step.
   */
  public void zeroGradients() {
    for (NDArray array : parameters.values()) {
      if (array.hasGradient()) {
        try (NDArray gradient = array.getGradient()) {
          gradient.subi(gradient);
        }
      }
    }
  }

  /** Total number of trainable scalars. */
  public long parameterCount() {
    return parameters.values().stream().mapToLong(array -> array.getShape().size()).sum();
  }

  /**
   * Token ids as an int64 (B, T) array copied into native memory, as every model input must be.
   *
   * @param manager owner of the new array (its device must be the model's)
   * @param rows B rows of T token ids each
   * @return (B, T) int64
   */
  public static NDArray tokenArray(NDManager manager, int[][] rows) {
    int steps = rows[0].length;
    long[] ids = new long[rows.length * steps];
    for (int b = 0; b < rows.length; b++) {
      if (rows[b].length != steps) {
        throw new IllegalArgumentException(
            "token rows must have equal length, row 0 has "
                + steps
                + ", row "
                + b
                + " has "
                + rows[b].length);
      }
      for (int t = 0; t < steps; t++) {
        ids[b * steps + t] = rows[b][t];
      }
    }
    return NativeArrays.longs(manager, ids, new Shape(rows.length, steps));
  }

  /** A new, empty key/value cache for this model, owned by the model's manager until closed. */
  public KvCache newKvCache() {
    return new KvCache(config.layers(), manager);
  }

  /**
   * A new, empty key/value cache sized for {@code capacity} positions, so it never regrows when the
   * prompt plus generated length is known.
   *
   * @param capacity expected total positions
   * @return the cache, owned by the model's manager until closed
   */
  public KvCache newKvCache(int capacity) {
    return new KvCache(config.layers(), manager, capacity);
  }

  /** A new, empty head-output cache for this model, owned by the model's manager until closed. */
  public HeadOutputCache newHeadOutputCache() {
    return new HeadOutputCache(config.layers(), manager);
  }

  /**
   * Plain forward over whole sequences.
   *
   * @param tokens (B, T) int64 token ids (see {@link #tokenArray})
   * @return logits (B, T, vocab) in the tokens' manager
   */
  public ForwardResult forward(NDArray tokens) {
    return forward(tokens, Instrumentation.NONE, null, false);
  }

  /**
   * Forward with instrumentation and an optional key/value cache.
   *
   * @param tokens (B, T) int64 token ids, on the model's device
   * @param instrumentation what to record or change; null or {@link Instrumentation#NONE} for a
   *     plain forward
   * @param cache positions already processed (these T tokens follow them and are appended), or null
   *     for a self-contained forward
   * @return logits (B, T, vocab) in the tokens' manager, and the argmax if recorded
   */
  public ForwardResult forward(NDArray tokens, Instrumentation instrumentation, KvCache cache) {
    return forward(tokens, instrumentation, cache, false);
  }

  /**
   * Forward with instrumentation, an optional cache, and the choice to compute logits only for the
   * last position (a prefill needs no others, which saves T * vocab * d multiply-adds).
   *
   * @param tokens (B, T) int64 token ids, on the model's device
   * @param instrumentation what to record or change; null for a plain forward
   * @param cache positions already processed, or null
   * @param lastPositionOnly whether logits are (B, 1, vocab) for the last position only
   * @return logits in the tokens' manager, and the argmax if recorded
   * @throws IllegalArgumentException if tokens are not (B, T) on the model's device, positions
   *     exceed maxLen, or the instrumentation names heads the model lacks
   */
  public ForwardResult forward(
      NDArray tokens, Instrumentation instrumentation, KvCache cache, boolean lastPositionOnly) {
    Instrumentation plan = instrumentation == null ? Instrumentation.NONE : instrumentation;
    plan.requireFits(config);
    Shape shape = tokens.getShape();
    if (shape.dimension() != 2 || shape.get(1) == 0) {
      throw new IllegalArgumentException("tokens must be (B, T) with T >= 1, got " + shape);
    }
    if (!tokens.getDevice().equals(device())) {
      throw new IllegalArgumentException(
          "tokens are on " + tokens.getDevice() + " but the model is on " + device());
    }
    int batch = Math.toIntExact(shape.get(0));
    int steps = Math.toIntExact(shape.get(1));
    int past = cache == null ? 0 : cache.length();
    if (past + steps > config.maxLen()) {
      throw new IllegalArgumentException(
          "positions up to "
              + (past + steps)
              + " exceed maxLen="
              + config.maxLen()
              + " (raise ModelConfig.maxLen)");
    }
    try (NDManager scope = NDManager.subManagerOf(tokens)) {
      scope.tempAttachAll(tokens);
      NDArray[] rope = rotary.rows(scope, past, steps); // {cos, sin}, each (T, D)
      NDArray mask = steps > 1 ? causalMask.get(steps, past) : null; // (T, S)
      AttentionTables tables = AttentionTables.of(scope, rope, mask, config);
      int[][][] argmax =
          plan.recordArgmax() ? new int[batch][config.layers()][config.heads()] : null;
      NDArray x =
          Embedding.embedding(tokens, embedTokens, SparseFormat.DENSE)
              .singletonOrThrow(); // (B,T,d)
      for (int i = 0; i < layers.length; i++) {
        Instrumentation.LayerPlan layerPlan = plan.plan(i, config.heads(), past);
        try (NDManager layerScope = scope.newSubManager()) {
          layerScope.tempAttachAll(x);
          NDArray next =
              layers[i].forward(x, tables, past, layerPlan, cache, argmax);
          x = layerScope.ret(next); // (B, T, d)
        }
      }
      if (lastPositionOnly && steps > 1) {
        x = x.get(new NDIndex(":, -1:")); // (B, 1, d)
      }
      NDArray normalized = RmsNorm.apply(x, finalNorm, config.rmsNormEps()); // (B, T|1, d)
      NDArray logits = Linear.linear(normalized, lmHead).singletonOrThrow(); // (B, T|1, vocab)
      if (cache != null) {
        cache.advance(steps);
      }
      return new ForwardResult(scope.ret(logits), argmax);
    } catch (RuntimeException e) {
      if (cache != null) {
        cache.markBroken();
      }
      throw e;
    }
  }

  /** Frees the parameters, tables, and any caches still open under the model's manager. */
  @Override
  public void close() {
    manager.close();
  }
}
