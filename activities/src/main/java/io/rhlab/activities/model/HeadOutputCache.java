package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Per-head attention outputs recorded in one run, for activation patching into another.
 *
 * <p>For each layer it holds the heads' outputs just before o_proj, shape (B, T, heads, headDim),
 * after any masks and patches of that run (what o_proj actually saw). Incremental decoding appends
 * along T, so a prefill plus N decode steps records T = prompt + N positions, and a patched run
 * reads the rows of the positions it is computing. Arrays are detached from any gradient graph and
 * owned by this cache's manager: close the cache to free them.
 *
 * <p>Not thread-safe; one cache belongs to one run at a time.
 */
public final class HeadOutputCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] byLayer;

  /**
   * Creates an empty cache.
   *
   * @param layers number of decoder layers of the model it records
   * @param parent manager whose child owns the recorded arrays
   */
  public HeadOutputCache(int layers, NDManager parent) {
    this.manager = parent.newSubManager();
    this.byLayer = new NDArray[layers];
  }

  /**
   * The recorded outputs of one layer.
   *
   * @param layer decoder layer
   * @return (B, T, heads, headDim), owned by this cache, or null if the layer was not recorded
   */
  public NDArray get(int layer) {
    return byLayer[layer];
  }

  /**
   * Number of positions recorded for a layer.
   *
   * @param layer decoder layer
   * @return T, or 0 if nothing was recorded
   */
  public int positions(int layer) {
    return byLayer[layer] == null ? 0 : Math.toIntExact(byLayer[layer].getShape().get(1));
  }

  /** Number of layers this cache has room for. */
  public int layers() {
    return byLayer.length;
  }

  /** Appends (B, T, heads, headDim) outputs of {@code layer} along T. */
  void append(int layer, NDArray headOutputs) {
    NDArray detached = headOutputs.stopGradient();
    NDArray previous = byLayer[layer];
    if (previous == null) {
      byLayer[layer] = NativeArrays.into(manager, detached);
    } else {
      byLayer[layer] =
          NativeArrays.into(manager, NDArrays.concat(new NDList(previous, detached), 1));
      previous.close();
      detached.close();
    }
  }

  /**
   * The recorded rows for positions {@code [start, start + length)} of a layer, attached to {@code
   * scope}.
   */
  NDArray rows(NDManager scope, int layer, int start, int length) {
    NDArray recorded = byLayer[layer];
    if (recorded == null) {
      throw new IllegalStateException("no head outputs were recorded for layer " + layer);
    }
    if (start + length > positions(layer)) {
      throw new IllegalStateException(
          "patch needs positions ["
              + start
              + ", "
              + (start + length)
              + ") of layer "
              + layer
              + " but only "
              + positions(layer)
              + " were recorded");
    }
    return NativeArrays.into(scope, recorded.get(new NDIndex(":, {}:{}", start, start + length)));
  }

  /** Frees every recorded array. */
  @Override
  public void close() {
    manager.close();
  }
}
