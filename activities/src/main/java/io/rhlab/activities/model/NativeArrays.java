package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Makes NDArrays from Java data that own their native memory.
 *
 * <p>{@code manager.create(...)} hands libtorch a view of a JVM direct buffer. For Java arrays DJL
 * allocates that buffer itself and keeps no reference the caller can see, so the garbage collector
 * may free it - and the allocator reuse the memory - before the view is read (seen as runs that
 * differ, jump to NaN, or crash, more often on a loaded machine). So every array built from Java
 * data goes through here: the data is put into a direct buffer that this class holds, libtorch
 * copies it into memory of its own ({@code duplicate()}), and only then may the buffer go
 * ({@link Reference#reachabilityFence}).
 */
public final class NativeArrays {

  private NativeArrays() {}

  /** A float32 array of the given shape holding a native copy of {@code data}. */
  public static NDArray floats(NDManager manager, float[] data, Shape shape) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(data.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(data);
    return floats(manager, buffer, shape);
  }

  /** An int64 array of the given shape holding a native copy of {@code data}. */
  public static NDArray longs(NDManager manager, long[] data, Shape shape) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(data.length * 8).order(ByteOrder.nativeOrder());
    buffer.asLongBuffer().put(data);
    return copyOf(manager, buffer, shape, DataType.INT64);
  }

  /**
   * A float32 scalar in libtorch-owned memory. Use it instead of DJL's {@code x.mul(Number)} in
   * anything autograd records: DJL builds the Number as a view of a Java buffer and closes it right
   * after the op, but {@code mul}, {@code div} and {@code pow} keep that tensor for the backward
   * pass, which then reads memory the garbage collector may already have freed (training runs that
   * differed in the 5th digit, now and then, on a loaded machine).
   */
  public static NDArray scalar(NDManager manager, float value) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    buffer.putFloat(0, value);
    return copyOf(manager, buffer, new Shape(), DataType.FLOAT32);
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
    return copyOf(manager, nativeOrderFloats, shape, DataType.FLOAT32);
  }

  /** Copies a direct buffer into libtorch memory, keeping the buffer alive until the copy is done. */
  static NDArray copyOf(NDManager manager, ByteBuffer direct, Shape shape, DataType type) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("expected a direct buffer");
    }
    try (NDArray view = manager.create(direct, shape, type)) {
      return view.duplicate();
    } finally {
      Reference.reachabilityFence(direct);
    }
  }

  /** Moves a freshly computed array into {@code manager} and returns it. */
  static NDArray into(NDManager manager, NDArray array) {
    array.attach(manager);
    return array;
  }
}
