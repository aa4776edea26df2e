package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small configurations and helpers shared by the model tests. */
final class TestModels {

  private TestModels() {}

  /** d=32, 2 layers, 4 query heads, 4 kv heads, untied, vocab 40. */
  static ModelConfig multiHead() {
    return new ModelConfig(40, 32, 2, 4, 4, 48, 10000.0, 64, false, 1e-5);
  }

  /** d=32, 2 layers, 4 query heads sharing 2 kv heads, tied, vocab 40. */
  static ModelConfig groupedQuery() {
    return new ModelConfig(40, 32, 2, 4, 2, 48, 500.0, 64, true, 1e-6);
  }

  /** Qwen2-style: d=32, 2 layers, 4 query heads sharing 2 kv heads, q/k/v biases, vocab 40. */
  static ModelConfig qwen2Style() {
    return new ModelConfig(40, 32, 2, 4, 2, 48, 1000000.0, 64, true, 1e-6, true);
  }

  /** A model holding the given weights. */
  static LlamaModel model(ModelConfig config, Map<String, float[]> weights, NDManager manager) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    try (NDManager scratch = manager.newSubManager()) {
      weights.forEach(
          (name, values) ->
              arrays.put(
                  name,
                  NativeArrays.floats(
                      scratch, values, LlamaWeightLayout.shapes(config).get(name))));
      return LlamaModel.fromParameters(config, arrays, manager);
    }
  }

  /** Logits of a forward as [B][T][V] floats. */
  static float[][][] logits(ForwardResult result) {
    NDArray logits = result.logits();
    int b = (int) logits.getShape().get(0);
    int t = (int) logits.getShape().get(1);
    int v = (int) logits.getShape().get(2);
    float[] flat = logits.toFloatArray();
    float[][][] out = new float[b][t][v];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(flat, (i * t + j) * v, out[i][j], 0, v);
      }
    }
    return out;
  }

  static void assertClose(double expected, double actual, double tolerance, String what) {
    if (!(Math.abs(expected - actual) <= tolerance)) {
      throw new AssertionError(what + ": expected " + expected + " but was " + actual);
    }
  }

  static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }
}
