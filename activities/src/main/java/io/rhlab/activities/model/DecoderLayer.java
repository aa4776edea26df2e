package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.Map;

/**
 * One Llama decoder layer: {@code x + attention(norm(x))}, then {@code x + mlp(norm(x))}, with the
 * instrumentation hooks inside the attention block.
 *
 * <p>Dimension letters: B batch, T new positions, S all key positions (cached + new), H query
 * heads, K key/value heads, G = H / K query heads per key/value head, D head size, d model width.
 *
 * <p>Grouped-query attention is computed without repeating keys: the G query heads of a group are
 * stacked along the row axis, (B, K, G*T, D), and multiplied with the group's (B, K, S, D) keys.
 * Query head h therefore uses key/value head h / G, as Hugging Face's repeat_kv does.
 *
 * <p>Manager discipline: every op takes an activation as its first operand (so its result joins the
 * caller's per-layer scope); arrays owned elsewhere (weights, caches, tables) are only second
 * operands, or their derived arrays are moved into the scope explicitly.
 */
final class DecoderLayer {

  private final int index;
  private final ModelConfig config;
  private final NDArray inputNorm; // (d)
  private final NDArray queryProj; // (H*D, d)
  private final NDArray keyProj; // (K*D, d)
  private final NDArray valueProj; // (K*D, d)
  private final NDArray queryBias; // (H*D), or null without attention biases
  private final NDArray keyBias; // (K*D), or null
  private final NDArray valueBias; // (K*D), or null
  private final NDArray outputProj; // (d, H*D)
  private final NDArray postAttentionNorm; // (d)
  private final NDArray gateProj; // (dFf, d)
  private final NDArray upProj; // (dFf, d)
  private final NDArray downProj; // (d, dFf)

  DecoderLayer(int index, ModelConfig config, Map<String, NDArray> parameters) {
    this.index = index;
    this.config = config;
    this.inputNorm = parameters.get(LlamaWeightLayout.layer(index, "input_layernorm.weight"));
    this.queryProj = parameters.get(LlamaWeightLayout.layer(index, "self_attn.q_proj.weight"));
    this.keyProj = parameters.get(LlamaWeightLayout.layer(index, "self_attn.k_proj.weight"));
    this.valueProj = parameters.get(LlamaWeightLayout.layer(index, "self_attn.v_proj.weight"));
    // absent (null) unless config.attentionBias()
    this.queryBias = parameters.get(LlamaWeightLayout.layer(index, "self_attn.q_proj.bias"));
    this.keyBias = parameters.get(LlamaWeightLayout.layer(index, "self_attn.k_proj.bias"));
    this.valueBias = parameters.get(LlamaWeightLayout.layer(index, "self_attn.v_proj.bias"));
    this.outputProj = parameters.get(LlamaWeightLayout.layer(index, "self_attn.o_proj.weight"));
    this.postAttentionNorm =
        parameters.get(LlamaWeightLayout.layer(index, "post_attention_layernorm.weight"));
    this.gateProj = parameters.get(LlamaWeightLayout.layer(index, "mlp.gate_proj.weight"));
    this.upProj = parameters.get(LlamaWeightLayout.layer(index, "mlp.up_proj.weight"));
    this.downProj = parameters.get(LlamaWeightLayout.layer(index, "mlp.down_proj.weight"));
  }

  /**
   * Runs the layer.
   *
   * @param x residual stream (B, T, d), attached to the layer's scope
   * @param tables this forward's rotary rows and causal mask
   * @param past number of cached positions before these T
   * @param plan this layer's instrumentation
   * @param cache key/value cache, or null for a self-contained forward
   * @param argmaxOut [B][layers][H] filled at this layer's index when the plan records argmax
   * @return the new residual stream (B, T, d), in x's manager
   */
  NDArray forward(
      NDArray x,
      AttentionTables tables,
      int past,
      Instrumentation.LayerPlan plan,
      KvCache cache,
      int[][][] argmaxOut) {
    NDArray attended = x.add(attention(x, tables, past, plan, cache, argmaxOut));
    NDArray normalized = RmsNorm.apply(attended, postAttentionNorm, config.rmsNormEps()); // (B,T,d)
    return attended.add(mlp(normalized)); // (B, T, d)
  }

  private NDArray attention(
      NDArray x,
      AttentionTables tables,
      int past,
      Instrumentation.LayerPlan plan,
      KvCache cache,
      int[][][] argmaxOut) {
    NDManager scope = x.getManager();
    long batch = x.getShape().get(0);
    long steps = x.getShape().get(1);
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    int group = config.groupSize();
    int headDim = config.headDim();

    NDArray normalized = RmsNorm.apply(x, inputNorm, config.rmsNormEps()); // (B, T, d)
    NDArray queries = project(normalized, queryProj, queryBias, batch, steps, heads); // (B,H,T,D)
    NDArray keys = project(normalized, keyProj, keyBias, batch, steps, kvHeads); // (B, K, T, D)
    NDArray values = project(normalized, valueProj, valueBias, batch, steps, kvHeads); // (B,K,T,D)
    // the queries' tables carry 1/sqrt(D), so the logits need no scaling pass
    queries = RotaryEmbedding.apply(queries, tables.queryCos(), tables.querySin()); // (B,H,T,D)
    keys = RotaryEmbedding.apply(keys, tables.cos(), tables.sin()); // (B, K, T, D)
    if (cache != null) {
      NDArray[] cached = cache.append(index, keys, values, scope);
      keys = cached[0]; // (B, K, S, D), a view of the cache's buffer
      values = cached[1]; // (B, K, S, D), a view of the cache's buffer
    }
    long keyCount = keys.getShape().get(2);

    if (plan.queryKeep() != null) {
      queries = queries.mul(perHead(scope, plan.queryKeep(), new Shape(1, heads, 1, 1)));
    }
    NDArray stackedQueries = queries.reshape(batch, kvHeads, group * steps, headDim); // (B,K,G*T,D)
    NDArray keysT = keys.swapAxes(2, 3); // (B, K, D, S)
    NDArray logits = stackedQueries.matMul(keysT); // (B, K, G*T, S)
    if (tables.mask() != null) {
      // In place on matMul's own output (autograd keeps its inputs, not its output): a second
      // (B, K, G*T, S) buffer would cost an allocation and a pass at every layer. Not on a reshaped
      // view: autograd turns in-place ops on views into costly copies in the backward pass.
      logits.addi(tables.mask()); // (G*T, S) broadcast
    }
    if (plan.recordArgmax()) {
      recordArgmax(logits.reshape(batch, kvHeads, group, steps, keyCount), argmaxOut);
    }
    NDArray probabilities = logits.softmax(3); // (B, K, G*T, S)
    NDArray headOutputs =
        probabilities
            .matMul(values) // (B, K, G*T, D)
            .reshape(batch, heads, steps, headDim) // (B, H, T, D)
            .transpose(0, 2, 1, 3); // (B, T, H, D)

    if (plan.touchesOutputs()) {
      headOutputs = instrumentOutputs(headOutputs, past, plan, cache);
    }
    NDArray merged = headOutputs.reshape(batch, steps, (long) heads * headDim); // (B, T, H*D)
    return Linear.linear(merged, outputProj).singletonOrThrow(); // (B, T, d)
  }

  /** Output masks, then patch, then capture, on (B, T, H, D) head outputs. */
  private NDArray instrumentOutputs(
      NDArray headOutputs, int past, Instrumentation.LayerPlan plan, KvCache cache) {
    NDManager scope = headOutputs.getManager();
    int heads = config.heads();
    long steps = headOutputs.getShape().get(1);
    Shape perHeadShape = new Shape(1, 1, heads, 1);
    NDArray result = headOutputs;
    NDArray runningMean = plan.tracksMean() ? runningMean(headOutputs, past, cache) : null;
    if (plan.outputKeep() != null) {
      result = result.mul(perHead(scope, plan.outputKeep(), perHeadShape));
    }
    if (plan.meanTake() != null) {
      result = result.add(runningMean.mul(perHead(scope, plan.meanTake(), perHeadShape)));
    }
    if (plan.patchTake() != null) {
      float[] keep = new float[heads];
      for (int h = 0; h < heads; h++) {
        keep[h] = 1f - plan.patchTake()[h];
      }
      NDArray recorded = plan.patchFrom().rows(scope, index, past, (int) steps); // (B|1,T,H,D)
      result =
          result
              .mul(perHead(scope, keep, perHeadShape))
              .add(recorded.mul(perHead(scope, plan.patchTake(), perHeadShape)));
    }
    if (plan.captureInto() != null) {
      plan.captureInto().append(index, result);
    }
    return result; // (B, T, H, D)
  }

  /**
   * Causal running mean of the unmasked head outputs: row t holds the mean over positions
   * 0..past+t. The running sum carries over decode steps in the cache.
   */
  private NDArray runningMean(NDArray headOutputs, int past, KvCache cache) {
    NDManager scope = headOutputs.getManager();
    long steps = headOutputs.getShape().get(1);
    NDArray sums = headOutputs.cumSum(1); // (B, T, H, D)
    if (past > 0) {
      NDArray carried = cache == null ? null : cache.outputSum(index);
      if (carried == null) {
        throw new IllegalStateException(
            "MEAN_OUTPUT on layer "
                + index
                + " needs the running output sum of the prompt: prefill with the same"
                + " instrumentation");
      }
      sums = sums.add(carried); // (B, T, H, D)
    }
    if (cache != null) {
      cache.setOutputSum(index, sums.get(new NDIndex(":, -1:"))); // (B, 1, H, D)
    }
    float[] counts = new float[(int) steps];
    for (int t = 0; t < steps; t++) {
      counts[t] = past + t + 1;
    }
    return sums.div(NativeArrays.floats(scope, counts, new Shape(1, steps, 1, 1))); // (B,T,H,D)
  }

  /** Fills argmaxOut[b][index][h] from the last query row of (B, K, G, T, S) logits. */
  private void recordArgmax(NDArray logits, int[][][] argmaxOut) {
    long[] positions = logits.get(new NDIndex(":, :, :, -1")).argMax(3).toLongArray(); // (B,K,G)
    int heads = config.heads();
    for (int b = 0; b < argmaxOut.length; b++) {
      for (int h = 0; h < heads; h++) {
        // flat index of (b, k, g) is b * H + k * G + g, and query head h is k * G + g
        argmaxOut[b][index][h] = (int) positions[b * heads + h];
      }
    }
  }

  private NDArray mlp(NDArray normalized) {
    NDArray gate = Linear.linear(normalized, gateProj).singletonOrThrow(); // (B, T, dFf)
    NDArray up = Linear.linear(normalized, upProj).singletonOrThrow(); // (B, T, dFf)
    NDArray activated = gate.mul(Activation.sigmoid(gate)).mul(up); // silu(gate) * up
    return Linear.linear(activated, downProj).singletonOrThrow(); // (B, T, d)
  }

  /** (B, T, d) -> Linear (with bias when not null) -> (B, heads, T, D). */
  private NDArray project(
      NDArray normalized, NDArray weight, NDArray bias, long batch, long steps, int heads) {
    NDList projected =
        bias == null ? Linear.linear(normalized, weight) : Linear.linear(normalized, weight, bias);
    return projected
        .singletonOrThrow() // (B, T, heads*D)
        .reshape(batch, steps, heads, config.headDim()) // (B, T, heads, D)
        .transpose(0, 2, 1, 3); // (B, heads, T, D)
  }

  private static NDArray perHead(NDManager scope, float[] factors, Shape shape) {
    return NativeArrays.floats(scope, factors, shape);
  }
}
