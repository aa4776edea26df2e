package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class Rouge1RecallTest {

  @Test
  void tokens_followRougeScore_stemOnlyLongerThanThreeCharacters() {
    assertEquals(List.of("eat", "sandwich", "in", "park"), Rouge1Recall.tokens("Eating sandwiches, in PARKS!"));
    // "was" has 3 characters and is left alone (Porter alone would give "wa").
    assertEquals(List.of("it", "was", "sunni"), Rouge1Recall.tokens("it was sunny"));
    assertEquals(List.of(), Rouge1Recall.tokens(" -- "));
  }

  @Test
  void recall_isClippedUnigramOverlapOverReferenceTokens() {
    String reference = "the cat sat on the mat"; // 6 tokens
    assertEquals(2.0 / 6, Rouge1Recall.recall(reference, "the cat"), 1e-12);
    // "the" counts at most twice (the reference has two): (2 + 1) / 6
    assertEquals(0.5, Rouge1Recall.recall(reference, "the the the cat"), 1e-12);
    assertEquals(1.0, Rouge1Recall.recall("sandwiches in parks", "A sandwich in the park."), 1e-12);
    assertEquals(0.0, Rouge1Recall.recall("", "anything"));
  }
}
