package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.analysis.AccuracyTable.MdqaOutcome;
import io.rhlab.activities.analysis.AccuracyTable.NiahCell;
import io.rhlab.activities.analysis.AccuracyTable.NiahOutcome;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Key-value, NIAH grid and MDQA scoring against counts done by hand. */
class ScoringTest {

  @Test
  void kvAnswer_judgesValueAndDictionarySeparately() {
    String right = "The value of key 365 is 7634 and it is in Dictionary [27].";
    assertEquals(new KvAnswerScore(true, true), KvAnswerScore.of(right, "7634", "27"));
    assertEquals(
        new KvAnswerScore(false, false),
        KvAnswerScore.of("The value of key 365 is 76345 and it is in Dictionary [2].", "7634", "27"));
    assertEquals(
        new KvAnswerScore(true, false),
        KvAnswerScore.of("7634, Dictionary [28]", "7634", "27"));
    KvAnswerScore.Summary summary =
        KvAnswerScore.Summary.of(
            List.of(
                new KvAnswerScore(true, true),
                new KvAnswerScore(true, false),
                new KvAnswerScore(false, false),
                new KvAnswerScore(false, true)));
    assertEquals(new Accuracy(2, 4), summary.value());
    assertEquals(new Accuracy(2, 4), summary.dictionary());
    assertEquals(new Accuracy(1, 4), summary.both());
  }

  @Test
  void niahGrid_countsPerLengthAndDepth() {
    SortedMap<NiahCell, Accuracy> grid =
        AccuracyTable.niahGrid(
            List.of(
                new NiahOutcome(2000, 50, true),
                new NiahOutcome(1000, 50, false),
                new NiahOutcome(1000, 0, true),
                new NiahOutcome(1000, 50, true),
                new NiahOutcome(2000, 50, true)));
    assertEquals(
        List.of(new NiahCell(1000, 0), new NiahCell(1000, 50), new NiahCell(2000, 50)),
        List.copyOf(grid.keySet()));
    assertEquals(new Accuracy(1, 1), grid.get(new NiahCell(1000, 0)));
    assertEquals(0.5, grid.get(new NiahCell(1000, 50)).value());
    assertEquals(new Accuracy(2, 2), grid.get(new NiahCell(2000, 50)));
  }

  @Test
  void mdqa_accuracyByGoldPosition() {
    SortedMap<Integer, Accuracy> table =
        AccuracyTable.mdqaByGoldPosition(
            List.of(
                new MdqaOutcome(10, false),
                new MdqaOutcome(1, true),
                new MdqaOutcome(10, true),
                new MdqaOutcome(10, false)));
    assertEquals(List.of(1, 10), List.copyOf(table.keySet()));
    assertEquals(1.0 / 3, table.get(10).value(), 1e-12);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AccuracyTable.mdqaByGoldPosition(List.of(new MdqaOutcome(0, true))));
    assertEquals("goldPosition must be >= 1, got 0", e.getMessage());
  }

  @Test
  void accuracy_ofNothingIsNaN() {
    assertTrue(Double.isNaN(new Accuracy(0, 0).value()));
    assertFalse(Double.isNaN(new Accuracy(0, 1).value()));
    assertThrows(IllegalArgumentException.class, () -> new Accuracy(2, 1));
  }
}
