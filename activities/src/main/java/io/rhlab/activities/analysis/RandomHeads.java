package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded random head sets, the controls of knockout and patching. */
public final class RandomHeads {

  private static final Comparator<AttentionHead> ORDER =
      Comparator.comparingInt(AttentionHead::layer).thenComparingInt(AttentionHead::head);

  private RandomHeads() {}

  /**
   * Draws {@code k} distinct heads uniformly from the candidates: candidates are sorted by (layer,
   * head), then a partial Fisher-Yates shuffle driven by {@code random} picks the first k, so the
   * draw depends only on the candidate set and the random sequence.
   *
   * @param candidates heads to draw from
   * @param k how many, 0..candidates
   * @param random the random source (advanced by k draws)
   * @return k heads in draw order
   * @throws IllegalArgumentException if k exceeds the candidates
   */
  public static List<AttentionHead> draw(Set<AttentionHead> candidates, int k, Random random) {
    if (k < 0 || k > candidates.size()) {
      throw new IllegalArgumentException(
          "k must be in [0, " + candidates.size() + "] (the candidate heads), got " + k);
    }
    List<AttentionHead> pool = new ArrayList<>(candidates);
    pool.sort(ORDER);
    for (int i = 0; i < k; i++) {
      int pick = i + random.nextInt(pool.size() - i);
      AttentionHead chosen = pool.get(pick);
      pool.set(pick, pool.get(i));
      pool.set(i, chosen);
    }
    return List.copyOf(pool.subList(0, k));
  }

  /** Every head of a model with the given shape, in (layer, head) order. */
  public static List<AttentionHead> all(int layers, int heads) {
    List<AttentionHead> all = new ArrayList<>();
    for (int layer = 0; layer < layers; layer++) {
      for (int head = 0; head < heads; head++) {
        all.add(new AttentionHead(layer, head));
      }
    }
    return all;
  }
}
