package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions already processed, for incremental decoding: a forward given a
 * cache attends over the cached positions plus its own and appends its own.
 *
 * <p>Per layer it keeps post-RoPE keys and values, (B, kvHeads, S, headDim), grown by
 * concatenation, and, only when a {@link HeadMaskOperator#MEAN_OUTPUT} mask asks for it, the
 * running sum of the heads' outputs, (B, 1, heads, headDim). A forward that fails part-way leaves
 * the cache unusable (it then throws on use). Not thread-safe.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final NDArray[] outputSums;
  private int length;
  private boolean broken;

  /**
   * Creates an empty cache.
   *
   * @param layers number of decoder layers of the model
   * @param parent manager whose child owns the cached arrays; on the model's device
   */
  public KvCache(int layers, NDManager parent) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.outputSums = new NDArray[layers];
  }

  /** Number of positions cached (the position of the next token). */
  public int length() {
    requireUsable();
    return length;
  }

  /**
   * Appends one layer's new keys and values.
   *
   * @param newKeys (B, kvHeads, T, headDim)
   * @param newValues (B, kvHeads, T, headDim)
   * @return {all keys, all values}, each (B, kvHeads, length + T, headDim), owned by the cache
   */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    requireUsable();
    keys[layer] = grow(keys[layer], newKeys);
    values[layer] = grow(values[layer], newValues);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray grow(NDArray cached, NDArray added) {
    if (cached == null) {
      return NativeArrays.into(manager, added);
    }
    NDArray grown = NativeArrays.into(manager, NDArrays.concat(new NDList(cached, added), 2));
    cached.close();
    return grown;
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
