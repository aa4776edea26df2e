package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-step retrieval events of one test, on argmax tables written by hand. */
class RetrievalEventsTest {

  @Test
  void eventsNeedSpanAndMatchingToken_andRepeatsCountAgain() {
    int[] prompt = {5, 6, 7, 8, 9};
    NeedleSpan span = new NeedleSpan(1, 4); // tokens 6, 7, 8: each event adds 1/3
    Generation generation =
        new Generation(
            new int[] {6, 7, 6, 0},
            "",
            List.of(
                new int[][] {{1, 0}}, // h0 on 6 while generating 6: event; h1 outside the span
                new int[][] {{2, 2}}, // both on 7 while generating 7: two events
                new int[][] {{1, 3}}, // h0 copies 6 again: event; h1 on 8 while generating 6: none
                new int[][] {{4, 5}})); // outside the span; 5 is a generated position
    double[][] sum = new double[1][2];
    RetrievalScorer.addEvents(sum, prompt, span, generation);
    assertArrayEquals(new double[] {1.0, 1.0 / 3}, sum[0], 1e-12);
  }

  @Test
  void aReferenceSpanRunningPastThePrompt_neverReadsPastIt() {
    int[] prompt = {5, 6, 7};
    NeedleSpan span = new NeedleSpan(1, 5); // as the reference's window search can return
    Generation generation =
        new Generation(new int[] {7, 9}, "", List.of(new int[][] {{2}}, new int[][] {{3}}));
    double[][] sum = new double[1][1];
    RetrievalScorer.addEvents(sum, prompt, span, generation);
    assertArrayEquals(new double[] {0.25}, sum[0], 1e-12);
  }
}
