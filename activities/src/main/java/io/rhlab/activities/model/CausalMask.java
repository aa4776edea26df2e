package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Additive causal masks: 0 where a query may attend, -1e9 where the key lies in its future. DJL has
 * no tril or masked_fill, so the table is written in Java, copied into native memory, and kept for
 * the few (queries, keys) shapes a run uses (training uses one; decoding needs none, since a single
 * new query sees every cached key). A finite -1e9 rather than -inf keeps a fully masked row finite.
 */
final class CausalMask {

  /** Added to the logit of a future key; exp(-1e9 - max) is exactly 0 in float32. */
  static final float BLOCKED = -1e9f;

  private static final int KEPT_SHAPES = 8;

  private final NDManager manager;
  private final Map<Long, NDArray> byShape =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, NDArray> eldest) {
          if (size() > KEPT_SHAPES) {
            eldest.getValue().close();
            return true;
          }
          return false;
        }
      };

  CausalMask(NDManager manager) {
    this.manager = manager;
  }

  /**
   * The mask for {@code queries} new positions after {@code past} cached ones.
   *
   * @return (queries, past + queries), owned by this object's manager; use it as a second operand
   */
  synchronized NDArray get(int queries, int past) {
    long key = ((long) queries << 32) | past;
    NDArray mask = byShape.get(key);
    if (mask == null) {
      int keys = past + queries;
      float[] table = new float[queries * keys];
      for (int i = 0; i < queries; i++) {
        for (int j = past + i + 1; j < keys; j++) {
          table[i * keys + j] = BLOCKED;
        }
      }
      mask = NativeArrays.floats(manager, table, new Shape(queries, keys));
      byShape.put(key, mask);
    }
    return mask;
  }
}
