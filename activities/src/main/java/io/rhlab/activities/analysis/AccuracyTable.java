package io.rhlab.activities.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** Accuracy grouped by the cell of an evaluation grid. */
public final class AccuracyTable {

  /**
   * One needle-in-a-haystack cell.
   *
   * @param contextLength context length in tokens
   * @param depthPercent needle depth, 0..100
   */
  public record NiahCell(int contextLength, double depthPercent) {}

  /** A judged NIAH test. */
  public record NiahOutcome(int contextLength, double depthPercent, boolean correct) {}

  /** A judged multi-document QA question; goldPosition counts documents from 1. */
  public record MdqaOutcome(int goldPosition, boolean correct) {}

  private static final Comparator<NiahCell> CELL_ORDER =
      Comparator.comparingInt(NiahCell::contextLength).thenComparingDouble(NiahCell::depthPercent);

  private AccuracyTable() {}

  /**
   * NIAH accuracy per (context length, depth) cell, ordered by length then depth: the heat map of
   * Kamradt's harness.
   *
   * @param outcomes judged tests
   * @return accuracy per cell that has at least one test
   */
  public static SortedMap<NiahCell, Accuracy> niahGrid(List<NiahOutcome> outcomes) {
    return group(
        outcomes,
        o -> new NiahCell(o.contextLength(), o.depthPercent()),
        NiahOutcome::correct,
        new TreeMap<>(CELL_ORDER));
  }

  /**
   * MDQA accuracy by the gold document's position ("Lost in the Middle").
   *
   * @param outcomes judged questions
   * @return accuracy per gold position that has at least one question
   */
  public static SortedMap<Integer, Accuracy> mdqaByGoldPosition(List<MdqaOutcome> outcomes) {
    for (MdqaOutcome outcome : outcomes) {
      if (outcome.goldPosition() < 1) {
        throw new IllegalArgumentException(
            "goldPosition must be >= 1, got " + outcome.goldPosition());
      }
    }
    return group(outcomes, MdqaOutcome::goldPosition, MdqaOutcome::correct, new TreeMap<>());
  }

  /** Accuracy over all outcomes. */
  public static <T> Accuracy overall(List<T> outcomes, Function<T, Boolean> correct) {
    Accuracy accuracy = new Accuracy(0, 0);
    for (T outcome : outcomes) {
      accuracy = accuracy.plus(correct.apply(outcome));
    }
    return accuracy;
  }

  private static <T, K> SortedMap<K, Accuracy> group(
      List<T> outcomes,
      Function<T, K> key,
      Function<T, Boolean> correct,
      SortedMap<K, Accuracy> table) {
    for (T outcome : outcomes) {
      table.merge(
          key.apply(outcome),
          new Accuracy(correct.apply(outcome) ? 1 : 0, 1),
          (a, b) -> new Accuracy(a.correct() + b.correct(), a.total() + b.total()));
    }
    return table;
  }
}
