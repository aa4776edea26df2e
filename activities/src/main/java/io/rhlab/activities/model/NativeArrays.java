package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Makes NDArrays from Java data that own their native memory.
 *
 * <p>{@code manager.create(float[])} hands libtorch a view of a JVM direct buffer; what the tensor
 * then holds depends on when the garbage collector frees that buffer (seen as runs that differ or
 * jump to NaN). Every array built from Java data goes through here: create, copy into memory that
 * libtorch allocated, close the view.
 */
final class NativeArrays {

  private NativeArrays() {}

  /** A float32 array of the given shape holding a native copy of {@code data}. */
  static NDArray floats(NDManager manager, float[] data, Shape shape) {
    try (NDArray view = manager.create(data, shape)) {
      return view.duplicate();
    }
  }

  /** An int64 array of the given shape holding a native copy of {@code data}. */
  static NDArray longs(NDManager manager, long[] data, Shape shape) {
    try (NDArray view = manager.create(data, shape)) {
      return view.duplicate();
    }
  }

  /**
   * A float64 scalar in native memory, for scalar operands on the differentiable path. {@code
   * x.mul(0.5)} would wrap the 0.5 in a zero-copy view of a JVM direct buffer, which autograd keeps
   * for the backward pass after the Java side has let the buffer go: a garbage collection between
   * forward and backward then corrupts the gradients.
   */
  static NDArray scalar(NDManager manager, double value) {
    try (NDArray view = manager.create(value)) {
      return view.duplicate();
    }
  }

  /** An int64 array of shape (1, n) holding a native copy of {@code tokens}. */
  static NDArray tokenRow(NDManager manager, int[] tokens) {
    long[] ids = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      ids[i] = tokens[i];
    }
    return longs(manager, ids, new Shape(1, tokens.length));
  }

  /**
   * A float32 array holding a native copy of a direct, native-order buffer of {@code shape.size()}
   * floats (for example a memory-mapped safetensors slice).
   */
  static NDArray floats(NDManager manager, ByteBuffer nativeOrderFloats, Shape shape) {
    try (NDArray view = manager.create(nativeOrderFloats, shape, DataType.FLOAT32)) {
      return view.duplicate();
    }
  }

  /** Moves a freshly computed array into {@code manager} and returns it. */
  static NDArray into(NDManager manager, NDArray array) {
    array.attach(manager);
    return array;
  }
}
