package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class RecencyPriorTest {

  private static final ModelConfig CONFIG =
      new ModelConfig(64, 128, 2, 4, 2, 48, 10_000.0, 128, true, 1e-5, true);

  /**
   * The biases rotated by the model's own rotary tables give, per head, the positional term of the
   * class comment: a^2 sum_f cos((delta + s_h) theta_f) / sqrt(D), computed here from the formula.
   */
  @Test
  void rotatedBiases_givePositionalTermOfTheFormula() {
    double a = 3;
    int headSize = CONFIG.dModel() / CONFIG.heads();
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(CONFIG, 7, new RecencyPrior(a), manager)) {
      float[] q = model.parameter("model.layers.0.self_attn.q_proj.bias").toFloatArray();
      float[] k = model.parameter("model.layers.0.self_attn.k_proj.bias").toFloatArray();
      RotaryEmbedding rotary = new RotaryEmbedding(manager, headSize, CONFIG.maxLen(), CONFIG.ropeTheta());
      int queryPosition = 40;
      for (int h = 0; h < CONFIG.heads(); h++) {
        int kvHead = h / (CONFIG.heads() / CONFIG.kvHeads());
        NDArray qh = rotate(manager, rotary, java.util.Arrays.copyOfRange(q, h * headSize, (h + 1) * headSize), queryPosition + 60);
        double nearest = Double.POSITIVE_INFINITY;
        double far = Double.NEGATIVE_INFINITY;
        for (int delta = 0; delta <= 60; delta++) {
          NDArray kh = rotate(manager, rotary, java.util.Arrays.copyOfRange(k, kvHead * headSize, (kvHead + 1) * headSize), queryPosition + 60 - delta);
          double got = qh.mul(kh).sum().getFloat() / Math.sqrt(headSize);
          double expected = 0;
          for (int f = 0; f < headSize / 2; f++) {
            expected += a * a * Math.cos((delta + h % 4 + 1) * Math.pow(CONFIG.ropeTheta(), -2.0 * f / headSize));
          }
          expected /= Math.sqrt(headSize);
          assertEquals(expected, got, 1e-3, "head " + h + " delta " + delta);
          nearest = delta <= 3 ? Math.min(nearest, got) : nearest;
          far = delta >= 30 ? Math.max(far, got) : far;
        }
        // a recency preference: each of the 4 nearest positions outscores every position 30+ back
        assertTrue(nearest > far + 2, "head " + h + ": nearest " + nearest + ", far " + far);
      }
    }
  }

  @Test
  void otherParameters_matchThePlainInitialisation() {
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel plain = LlamaModel.initialize(CONFIG, 7, manager);
        LlamaModel prior = LlamaModel.initialize(CONFIG, 7, new RecencyPrior(3), manager)) {
      for (NamedParameter p : plain.parameters()) {
        boolean layer0QueryOrKeyBias = p.name().matches("model\\.layers\\.0\\.self_attn\\.[qk]_proj\\.bias");
        float[] expected = p.array().toFloatArray();
        float[] got = prior.parameter(p.name()).toFloatArray();
        if (layer0QueryOrKeyBias) {
          assertTrue(got[0] != 0, p.name() + " is set by the prior");
        } else {
          assertArrayEquals(expected, got, p.name());
        }
      }
    }
  }

  @Test
  void prior_needsAttentionBiases_andAPositiveAmplitude() {
    ModelConfig noBias = new ModelConfig(64, 32, 2, 4, 2, 48, 10_000.0, 64, true, 1e-5, false);
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThrows(IllegalArgumentException.class, () -> LlamaModel.initialize(noBias, 1, new RecencyPrior(3), manager));
    }
    assertThrows(IllegalArgumentException.class, () -> new RecencyPrior(0));
    assertThrows(IllegalArgumentException.class, () -> new RecencyPrior(Double.NaN));
  }

  private static NDArray rotate(NDManager manager, RotaryEmbedding rotary, float[] vector, int position) {
    NDArray x = manager.create(vector, new Shape(1, 1, 1, vector.length));
    NDArray[] rows = rotary.rows(manager, position, 1);
    return RotaryEmbedding.apply(x, rows[0], rows[1]);
  }
}
