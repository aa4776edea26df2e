package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RMSNorm, rotary embedding and the masked loss against hand and plain-Java computations. */
class NumericsTest {

  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void rmsNorm_matchesHandComputation() {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x =
          NativeArrays.floats(scope, new float[] {1, 2, 3, 4, -2, 0, 0, 2}, new Shape(2, 4));
      NDArray gain = NativeArrays.floats(scope, new float[] {1, 0.5f, 2, 1}, new Shape(4));
      float[] actual = RmsNorm.apply(x, gain, 1e-5).toFloatArray();
      // row 0: mean square (1 + 4 + 9 + 16) / 4 = 7.5; row 1: (4 + 0 + 0 + 4) / 4 = 2
      double s0 = 1 / Math.sqrt(7.5 + 1e-5);
      double s1 = 1 / Math.sqrt(2 + 1e-5);
      double[] expected = {s0, 2 * s0 * 0.5, 3 * s0 * 2, 4 * s0, -2 * s1, 0, 0, 2 * s1};
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-6, "element " + i);
      }
    }
  }

  @Test
  void rotaryEmbedding_matchesPlainJavaRotateHalf() {
    int headDim = 8;
    int heads = 2;
    int steps = 5;
    int start = 3;
    double theta = 10000;
    Random random = new Random(2);
    float[] x = new float[heads * steps * headDim];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    try (NDManager scope = manager.newSubManager()) {
      RotaryEmbedding rotary = new RotaryEmbedding(scope, headDim, 16, theta);
      NDArray[] rows = rotary.rows(scope, start, steps);
      float[] actual =
          RotaryEmbedding.apply(
                  NativeArrays.floats(scope, x, new Shape(1, heads, steps, headDim)),
                  rows[0],
                  rows[1])
              .toFloatArray();
      int half = headDim / 2;
      for (int h = 0; h < heads; h++) {
        for (int t = 0; t < steps; t++) {
          int base = (h * steps + t) * headDim;
          int position = start + t;
          for (int i = 0; i < half; i++) {
            double angle = position / Math.pow(theta, 2.0 * i / headDim);
            double first = x[base + i];
            double second = x[base + i + half];
            // rotate_half: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin)
            assertEquals(
                first * Math.cos(angle) - second * Math.sin(angle), actual[base + i], 1e-5);
            assertEquals(
                second * Math.cos(angle) + first * Math.sin(angle), actual[base + i + half], 1e-5);
          }
        }
      }
    }
  }

  @Test
  void maskedCrossEntropy_matchesPlainJava() {
    int batch = 2;
    int steps = 4;
    int vocab = 5;
    Random random = new Random(3);
    float[] logits = new float[batch * steps * vocab];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (2 * random.nextGaussian());
    }
    long[] tokens = {1, 4, 0, 2, 3, 3, 1, 0};
    float[] mask = {0, 0, 1, 1, 0, 1, 1, 0}; // targets: positions whose token is predicted
    double total = 0;
    double count = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t + 1 < steps; t++) {
        float weight = mask[b * steps + t + 1];
        if (weight == 0) {
          continue;
        }
        int row = (b * steps + t) * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[row + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
          sum += Math.exp(logits[row + v] - max);
        }
        int target = (int) tokens[b * steps + t + 1];
        total += -(logits[row + target] - max - Math.log(sum)) * weight;
        count += weight;
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray loss =
          MaskedCrossEntropy.nextTokenLoss(
              NativeArrays.floats(scope, logits, new Shape(batch, steps, vocab)),
              NativeArrays.longs(scope, tokens, new Shape(batch, steps)),
              NativeArrays.floats(scope, mask, new Shape(batch, steps)));
      assertEquals(new Shape(), loss.getShape());
      assertEquals(total / count, loss.getFloat(), 1e-5);
    }
  }
}
