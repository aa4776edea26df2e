package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions already processed, for incremental decoding: a forward given a
 * cache attends over the cached positions plus its own and appends its own.
 *
 * <p>Per layer it keeps post-RoPE keys and values in buffers of shape (B, kvHeads, capacity,
 * headDim), written in place and grown by doubling, so a decode step copies only its own row rather
 * than the whole history; forwards read (B, kvHeads, length, headDim) views. Only when a {@link
 * HeadMaskOperator#MEAN_OUTPUT} mask asks for it, it also keeps the running sum of the heads'
 * outputs, (B, 1, heads, headDim). A forward that fails part-way leaves the cache unusable (it then
 * throws on use). Not thread-safe.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final NDArray[] outputSums;
  private final int initialCapacity;
  private int length;
  private boolean broken;

  /**
   * Creates an empty cache that grows as needed.
   *
   * @param layers number of decoder layers of the model
   * @param parent manager whose child owns the cached arrays; on the model's device
   */
  public KvCache(int layers, NDManager parent) {
    this(layers, parent, 0);
  }

  /**
   * Creates an empty cache with room for {@code capacity} positions before it must grow.
   *
   * @param layers number of decoder layers of the model
   * @param parent manager whose child owns the cached arrays; on the model's device
   * @param capacity expected total positions (prompt plus generated tokens), or 0 to size by use
   */
  public KvCache(int layers, NDManager parent, int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.outputSums = new NDArray[layers];
    this.initialCapacity = capacity;
  }

  /** Number of positions cached (the position of the next token). */
  public int length() {
    requireUsable();
    return length;
  }

  /**
   * Writes one layer's new keys and values after the cached ones.
   *
   * @param newKeys (B, kvHeads, T, headDim)
   * @param newValues (B, kvHeads, T, headDim)
   * @param scope manager of the returned views
   * @return {keys, values}, each a (B, kvHeads, length + T, headDim) view attached to scope
   */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues, NDManager scope) {
    requireUsable();
    int needed = length + Math.toIntExact(newKeys.getShape().get(2));
    keys[layer] = write(keys[layer], newKeys, needed);
    values[layer] = write(values[layer], newValues, needed);
    NDIndex filled = new NDIndex(":, :, :{}", needed);
    return new NDArray[] {
      NativeArrays.into(scope, keys[layer].get(filled)),
      NativeArrays.into(scope, values[layer].get(filled))
    };
  }

  /** Writes rows [length, needed) of a buffer, growing it first if it is too short. */
  private NDArray write(NDArray buffer, NDArray added, int needed) {
    NDArray target = buffer;
    long capacity = buffer == null ? 0 : buffer.getShape().get(2);
    if (capacity < needed) {
      long grown = Math.max(needed, Math.max(2 * capacity, initialCapacity));
      Shape shape = added.getShape();
      target = manager.zeros(new Shape(shape.get(0), shape.get(1), grown, shape.get(3)));
      if (buffer != null) {
        NDIndex old = new NDIndex(":, :, :{}", length);
        try (NDArray kept = buffer.get(old)) {
          target.set(old, kept);
        }
        buffer.close();
      }
    }
    target.set(new NDIndex(":, :, {}:{}", length, needed), added);
    return target;
  }

  /** Running sum of a layer's head outputs, (B, 1, heads, headDim), or null if never tracked. */
  NDArray outputSum(int layer) {
    return outputSums[layer];
  }

  /** Replaces a layer's running output sum with a copy of {@code sum}, (B, 1, heads, headDim). */
  void setOutputSum(int layer, NDArray sum) {
    NDArray previous = outputSums[layer];
    outputSums[layer] = NativeArrays.into(manager, sum.stopGradient().duplicate());
    if (previous != null) {
      previous.close();
    }
  }

  /** Records that a forward of {@code positions} new tokens finished on every layer. */
  void advance(int positions) {
    length += positions;
  }

  /** Marks the cache unusable after a failed forward. */
  void markBroken() {
    broken = true;
  }

  private void requireUsable() {
    if (broken) {
      throw new IllegalStateException("this KvCache was left incomplete by a failed forward");
    }
  }

  /** Frees every cached array. */
  @Override
  public void close() {
    manager.close();
  }
}
