package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face Llama's "rotate_half" layout: channel {@code i} and
 * channel {@code i + D/2} form a pair rotated by angle {@code position * theta^(-2i/D)}, so {@code
 * x' = x * cos + rotateHalf(x) * sin} with {@code rotateHalf(x) = concat(-x2, x1)}.
 *
 * <p>The cos and sin tables (maxLen, D) are built once in Java, in float32 the way Hugging Face
 * computes them (float32 inverse frequencies times float32 positions), and copied into native
 * memory. They belong to the manager given at construction.
 */
final class RotaryEmbedding {

  private final NDArray cos; // (maxLen, D)
  private final NDArray sin; // (maxLen, D)
  private final int maxLen;

  RotaryEmbedding(NDManager manager, int headDim, int maxLen, double theta) {
    this.maxLen = maxLen;
    int half = headDim / 2;
    float[] inverseFrequency = new float[half];
    for (int i = 0; i < half; i++) {
      float exponent = (float) (2 * i) / headDim;
      inverseFrequency[i] = (float) (1.0 / Math.pow(theta, exponent));
    }
    float[] cosTable = new float[maxLen * headDim];
    float[] sinTable = new float[maxLen * headDim];
    for (int position = 0; position < maxLen; position++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) position * inverseFrequency[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        int row = position * headDim;
        cosTable[row + i] = c;
        cosTable[row + i + half] = c;
        sinTable[row + i] = s;
        sinTable[row + i + half] = s;
      }
    }
    this.cos = NativeArrays.floats(manager, cosTable, new Shape(maxLen, headDim));
    this.sin = NativeArrays.floats(manager, sinTable, new Shape(maxLen, headDim));
  }

  /**
   * The cos and sin rows for positions {@code [start, start + length)}, attached to {@code scope}.
   *
   * @return {cos, sin}, each (length, D)
   */
  NDArray[] rows(NDManager scope, int start, int length) {
    if (start < 0 || start + length > maxLen) {
      throw new IllegalArgumentException(
          "positions ["
              + start
              + ", "
              + (start + length)
              + ") exceed maxLen="
              + maxLen
              + " (raise ModelConfig.maxLen)");
    }
    NDIndex rows = new NDIndex("{}:{}", start, start + length);
    return new NDArray[] {
      NativeArrays.into(scope, cos.get(rows)), NativeArrays.into(scope, sin.get(rows))
    };
  }

  /**
   * Rotates a query or key tensor.
   *
   * @param x (B, heads, T, D)
   * @param cosRows (T, D) from {@link #rows}
   * @param sinRows (T, D) from {@link #rows}
   * @return the rotated tensor, (B, heads, T, D), in x's manager
   */
  static NDArray apply(NDArray x, NDArray cosRows, NDArray sinRows) {
    NDList halves = x.split(2, 3); // 2 x (B, heads, T, D/2)
    NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
    return x.mul(cosRows).add(rotated.mul(sinRows)); // (B, heads, T, D)
  }
}
