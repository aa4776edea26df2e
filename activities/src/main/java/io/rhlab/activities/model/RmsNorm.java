package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;

/**
 * Root-mean-square normalisation as in Llama: {@code x / sqrt(mean(x^2) + eps) * weight} over the
 * last axis, with no mean subtraction and no bias. DJL has no RMSNorm and no rsqrt, so it is
 * written from {@code pow(-0.5)}.
 */
public final class RmsNorm {

  private RmsNorm() {}

  /**
   * Normalises the last axis of {@code x} and scales it by {@code weight}.
   *
   * @param x activations, (..., d); the result lives in x's manager
   * @param weight per-channel gain, (d)
   * @param eps added to the mean square before the inverse square root
   * @return the normalised activations, same shape as x
   */
  public static NDArray apply(NDArray x, NDArray weight, double eps) {
    NDArray meanSquare =
        x.square().mean(new int[] {x.getShape().dimension() - 1}, true); // (..., 1)
    // A native exponent: pow(-0.5) would hand autograd a view of a collectable Java buffer.
    NDArray inverseRms =
        meanSquare.add(eps).pow(NativeArrays.scalar(x.getManager(), -0.5)); // (..., 1)
    return x.mul(inverseRms).mul(weight); // (..., d)
  }
}
