package io.rhlab.activities.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rhlab.activities.model.AttentionHead;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.LlamaWeightLayout;
import io.rhlab.activities.model.ModelConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 2-layer, 2-head Llama whose weights are set by hand to form an induction circuit over the
 * 32-token {@link LetterTokenizer}; every MLP is zero.
 *
 * <p>Residual stream (d = 128): [0, 32) the token (one-hot, from the embedding), [32, 64) the
 * previous token (written by L0H0), [64, 96) the copied token (written by L1H0), 96 a constant 1
 * (the embedding's bias channel), 97 and 98 constants written by the two dummy heads.
 *
 * <p>Head size 64, RoPE pair i = channels (i, i + 32) rotated by theta_i = 1e12^(-i/32) per
 * position. Pairs 0..3 turn fast enough to build positional heads; pairs 10..31 turn less than
 * 0.03 rad over the whole context, so they carry token identity as if there were no RoPE.
 *
 * <ul>
 *   <li>L0H0, previous-token head: constant query and key (from the bias channel) in pairs 0..3,
 *       the key's phase advanced by theta_i, so the logit sum_i cos(theta_i (t - j - 1)) peaks at
 *       j = t - 1; its value is the token, written to the previous-token channels.
 *   <li>L0H1, self head (dummy): the same with no phase, peaking at j = t; writes a constant to
 *       channel 97.
 *   <li>L1H0, copying head: query = current token, key = previous token, so it attends to the
 *       position right after the earlier occurrence of the current token and copies that
 *       position's token to the copy channels, which the LM head reads. This is the retrieval head.
 *   <li>L1H1, duplicate-token head (dummy): query = key = token, plus a term sin(theta_6 (t - j))
 *       that prefers earlier positions, so it attends to the earlier occurrence of the current
 *       token: inside the needle, but on the token just generated rather than the one being
 *       generated, so it must score 0. Writes a constant to channel 98.
 * </ul>
 */
final class PlantedInductionModel {

  static final int VOCAB = 32;
  static final int D_MODEL = 128;
  static final int HEAD_DIM = 64;
  static final double ROPE_THETA = 1e12;
  static final AttentionHead PREVIOUS_TOKEN = new AttentionHead(0, 0);
  static final AttentionHead SELF = new AttentionHead(0, 1);
  static final AttentionHead COPYING = new AttentionHead(1, 0);
  static final AttentionHead DUPLICATE_TOKEN = new AttentionHead(1, 1);

  private static final int TOKEN = 0;
  private static final int PREVIOUS = 32;
  private static final int COPY = 64;
  private static final int BIAS = 96;
  private static final int JUNK_SELF = 97;
  private static final int JUNK_DUPLICATE = 98;
  private static final int FIRST_CONTENT_PAIR = 10;

  private PlantedInductionModel() {}

  static ModelConfig config() {
    return new ModelConfig(VOCAB, D_MODEL, 2, 2, 2, 8, ROPE_THETA, 192, false, 1e-6);
  }

  /**
   * Builds the model.
   *
   * @param copyingHeadWorks false zeroes the copying head's query, so it attends uniformly (a model
   *     that lacks the retrieval head but keeps its output projection, for patching)
   */
  static LlamaModel build(boolean copyingHeadWorks, NDManager manager) {
    ModelConfig config = config();
    Map<String, float[]> w = new HashMap<>();
    LlamaWeightLayout.shapes(config).forEach((name, shape) -> w.put(name, new float[(int) shape.size()]));
    float[] embed = w.get(LlamaWeightLayout.EMBED_TOKENS);
    for (int v = 0; v < VOCAB; v++) {
      embed[v * D_MODEL + TOKEN + v] = 1f;
      embed[v * D_MODEL + BIAS] = 1f;
    }
    for (int layer = 0; layer < 2; layer++) {
      java.util.Arrays.fill(w.get(LlamaWeightLayout.layer(layer, "input_layernorm.weight")), 1f);
      java.util.Arrays.fill(
          w.get(LlamaWeightLayout.layer(layer, "post_attention_layernorm.weight")), 1f);
    }
    java.util.Arrays.fill(w.get(LlamaWeightLayout.FINAL_NORM), 1f);

    // Layer 0 sees embedding only: token and bias channels are 1 each, 8 after RMSNorm.
    float[] q0 = w.get(LlamaWeightLayout.layer(0, "self_attn.q_proj.weight"));
    float[] k0 = w.get(LlamaWeightLayout.layer(0, "self_attn.k_proj.weight"));
    float[] v0 = w.get(LlamaWeightLayout.layer(0, "self_attn.v_proj.weight"));
    float[] o0 = w.get(LlamaWeightLayout.layer(0, "self_attn.o_proj.weight"));
    for (int pair = 0; pair < 4; pair++) {
      double theta = inverseFrequency(pair);
      positional(q0, k0, 0, pair, 3f, theta); // previous token: peak at t - j = 1
      positional(q0, k0, 1, pair, 3f, 0); // self: peak at t - j = 0
    }
    for (int v = 0; v < VOCAB; v++) {
      set(v0, row(0, v), TOKEN + v, 1f);
      set(o0, PREVIOUS + v, row(0, v), 1f / 8); // value 8 -> 1 in the residual
    }
    set(v0, row(1, 0), BIAS, 1f);
    set(o0, JUNK_SELF, row(1, 0), 1f / 8);

    // Layer 1: token, bias, previous token and junk 97 are 1 each: 128/4 -> sqrt(32) after RMSNorm.
    float scale = (float) Math.sqrt(32);
    float[] q1 = w.get(LlamaWeightLayout.layer(1, "self_attn.q_proj.weight"));
    float[] k1 = w.get(LlamaWeightLayout.layer(1, "self_attn.k_proj.weight"));
    float[] v1 = w.get(LlamaWeightLayout.layer(1, "self_attn.v_proj.weight"));
    float[] o1 = w.get(LlamaWeightLayout.layer(1, "self_attn.o_proj.weight"));
    float match = 3.5f; // logit of a match: (sqrt(32) * 3.5)^2 / 8 = 49
    for (int v = 0; v < VOCAB; v++) {
      int channel = contentChannel(v);
      if (copyingHeadWorks) {
        set(q1, row(0, channel), TOKEN + v, match);
      }
      set(k1, row(0, channel), PREVIOUS + v, match);
      set(v1, row(0, v), TOKEN + v, 1f);
      set(o1, COPY + v, row(0, v), 1f / scale);
      set(q1, row(1, channel), TOKEN + v, match);
      set(k1, row(1, channel), TOKEN + v, match);
    }
    // Duplicate-token head's preference for earlier positions: pair 6, key phase pi/2.
    set(q1, row(1, 6), BIAS, 1f);
    set(k1, row(1, 6 + HEAD_DIM / 2), BIAS, 1f);
    set(v1, row(1, 0), BIAS, 1f);
    set(o1, JUNK_DUPLICATE, row(1, 0), 1f / scale);

    float[] lmHead = w.get(LlamaWeightLayout.LM_HEAD);
    for (int v = 0; v < VOCAB; v++) {
      lmHead[v * D_MODEL + COPY + v] = 4f;
    }
    return model(config, w, manager);
  }

  /** Writes a constant query (1, 0) and key (cos phase, sin phase) into one RoPE pair. */
  private static void positional(float[] q, float[] k, int head, int pair, float gain, double phase) {
    set(q, row(head, pair), BIAS, gain);
    set(k, row(head, pair), BIAS, (float) (gain * Math.cos(phase)));
    set(k, row(head, pair + HEAD_DIM / 2), BIAS, (float) (gain * Math.sin(phase)));
  }

  /** The head channel carrying token v in the content pairs (10..31 and their partners). */
  private static int contentChannel(int v) {
    int pairs = HEAD_DIM / 2 - FIRST_CONTENT_PAIR; // 22
    return v < pairs ? FIRST_CONTENT_PAIR + v : HEAD_DIM / 2 + FIRST_CONTENT_PAIR + (v - pairs);
  }

  /** RoPE's inverse frequency of a pair, computed as RotaryEmbedding does (float32). */
  static double inverseFrequency(int pair) {
    float exponent = (float) (2 * pair) / HEAD_DIM;
    return (float) (1.0 / Math.pow(ROPE_THETA, exponent));
  }

  private static int row(int head, int channel) {
    return head * HEAD_DIM + channel;
  }

  /** Sets W[out][in] of a Linear weight with D_MODEL-wide rows (all weights here are 128 x 128). */
  private static void set(float[] weight, int out, int in, float value) {
    weight[out * D_MODEL + in] = value;
  }

  private static LlamaModel model(ModelConfig config, Map<String, float[]> weights, NDManager manager) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    try (NDManager scratch = manager.newSubManager()) {
      for (Map.Entry<String, Shape> entry : LlamaWeightLayout.shapes(config).entrySet()) {
        arrays.put(
            entry.getKey(),
            scratch.create(weights.get(entry.getKey())).reshape(entry.getValue()).duplicate());
      }
      return LlamaModel.fromParameters(config, arrays, manager);
    }
  }
}
