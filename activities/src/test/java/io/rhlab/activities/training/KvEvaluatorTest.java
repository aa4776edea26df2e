package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.synthesis.KvExample;
import org.junit.jupiter.api.Test;

class KvEvaluatorTest {

  private static final KvExample EXAMPLE =
      new KvExample(
          0,
          "Do a task using the list of dictionaries below.\n\nDictionary [1] {12: 34, 56: 78}\n"
              + "Dictionary [2] {90: 11}\n\nAbove is a list of dictionaries such that each key and"
              + " value is an integer. Report the value of key 56 and the dictionary it is in.",
          "The value of key 56 is 78 and it is in Dictionary [1].",
          56,
          78,
          1);

  @Test
  void score_exactAnswer() {
    KvEvaluator.Scored s = KvEvaluator.score(EXAMPLE, "The value of key 56 is 78 and it is in Dictionary [1].");
    assertTrue(s.exact());
    assertTrue(s.value());
    assertTrue(s.dictionary());
  }

  @Test
  void score_rightValueWrongDictionary() {
    KvEvaluator.Scored s = KvEvaluator.score(EXAMPLE, "The value of key 56 is 78 and it is in Dictionary [2].");
    assertFalse(s.exact());
    assertTrue(s.value());
    assertFalse(s.dictionary());
  }

  @Test
  void score_valueMustBeInTheValueSlot() {
    // The gold value elsewhere, or a longer number starting with it, does not count.
    assertFalse(KvEvaluator.score(EXAMPLE, "The value of key 78 is 34 and it is in Dictionary [1].").value());
    assertFalse(KvEvaluator.score(EXAMPLE, "The value of key 56 is 789 and it is in Dictionary [1].").value());
    assertFalse(KvEvaluator.score(EXAMPLE, "78").value());
    assertTrue(KvEvaluator.score(EXAMPLE, "The value of key 5 is 78, I think").value());
  }

  @Test
  void chanceLevel_isOneOverTheValuesInThePrompt() {
    assertEquals(1.0 / 3, KvEvaluator.chanceLevel(EXAMPLE.prompt()), 1e-12);
    assertEquals(0.0, KvEvaluator.chanceLevel("no dictionaries"));
  }
}
