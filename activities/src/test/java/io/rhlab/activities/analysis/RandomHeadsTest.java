package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.model.AttentionHead;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomHeadsTest {

  private static final Set<AttentionHead> CANDIDATES = new LinkedHashSet<>(RandomHeads.all(2, 3));

  @Test
  void draw_isSeededDistinctAndFromTheCandidates() {
    List<AttentionHead> first = RandomHeads.draw(CANDIDATES, 4, new Random(3));
    assertEquals(first, RandomHeads.draw(CANDIDATES, 4, new Random(3)));
    // The candidate set's iteration order does not matter, only its members.
    List<AttentionHead> backwards = new java.util.ArrayList<>(RandomHeads.all(2, 3));
    java.util.Collections.reverse(backwards);
    Set<AttentionHead> reordered = new LinkedHashSet<>(backwards);
    assertEquals(first, RandomHeads.draw(reordered, 4, new Random(3)));
    assertEquals(4, new HashSet<>(first).size());
    assertTrue(CANDIDATES.containsAll(first));
  }

  @Test
  void draw_isUniform() {
    int[] counts = new int[6];
    Random random = new Random(1);
    List<AttentionHead> all = RandomHeads.all(2, 3);
    for (int i = 0; i < 6000; i++) {
      counts[all.indexOf(RandomHeads.draw(CANDIDATES, 1, random).get(0))]++;
    }
    for (int count : counts) {
      assertTrue(count > 850 && count < 1150, "count " + count); // expected 1000, sd ~29
    }
  }

  @Test
  void draw_moreThanTheCandidates_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RandomHeads.draw(CANDIDATES, 7, new Random(1)));
    assertEquals("k must be in [0, 6] (the candidate heads), got 7", e.getMessage());
  }
}
