package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NeedleLocatorTest {

  @Test
  void exact_findsTheFirstContiguousOccurrence() {
    int[] prompt = {9, 1, 2, 3, 9, 1, 2, 3};
    assertEquals(Optional.of(new NeedleSpan(1, 4)), NeedleLocator.exact(prompt, new int[] {1, 2, 3}));
    assertTrue(NeedleLocator.exact(prompt, new int[] {1, 3}).isEmpty());
    assertTrue(NeedleLocator.exact(new int[] {1, 2}, new int[] {1, 2, 3}).isEmpty());
  }

  @Test
  void referenceWindow_matchesByTokenSetOverlapAboveNinetyPercent() {
    // A permutation matches: order is ignored.
    assertEquals(
        Optional.of(new NeedleSpan(1, 4)),
        NeedleLocator.referenceWindow(new int[] {9, 3, 2, 1, 9}, new int[] {1, 2, 3}));
    // 11 needle tokens at position 10: the window from 9 already holds 10 of 11 (0.909 > 0.9), so
    // the reference's span starts one position early, where the exact search does not.
    int[] needle = {20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30};
    int[] prompt = new int[30];
    System.arraycopy(needle, 0, prompt, 10, needle.length);
    assertEquals(Optional.of(new NeedleSpan(9, 20)), NeedleLocator.referenceWindow(prompt, needle));
    assertEquals(Optional.of(new NeedleSpan(10, 21)), NeedleLocator.exact(prompt, needle));
    // 9 of 10 distinct tokens is exactly 0.9: not above it.
    int[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertTrue(
        NeedleLocator.referenceWindow(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}, ten).isEmpty());
  }
}
