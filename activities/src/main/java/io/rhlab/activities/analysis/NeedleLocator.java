package io.rhlab.activities.analysis;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Finds a needle's token span in a prompt. */
public final class NeedleLocator {

  private NeedleLocator() {}

  /**
   * The first exact occurrence of the needle's tokens as a contiguous sub-sequence of the prompt.
   *
   * @param prompt prompt token ids
   * @param needle needle token ids, at least one
   * @return the span, or empty if the tokens do not occur (e.g. the tokenizer merged the needle's
   *     first token with the text before it)
   */
  public static Optional<NeedleSpan> exact(int[] prompt, int[] needle) {
    requireNeedle(needle);
    outer:
    for (int i = 0; i + needle.length <= prompt.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (prompt[i + k] != needle[k]) {
          continue outer;
        }
      }
      return Optional.of(new NeedleSpan(i, i + needle.length));
    }
    return Optional.empty();
  }

  /**
   * The retrieval-head reference's search: the first window of needle length, starting at each
   * prompt position in turn, whose token <em>set</em> covers more than 90% of the needle's token
   * set. Order and multiplicity are ignored, so it can match a permutation or a window shifted by
   * one; windows near the end are shorter than the needle but the span still has its length.
   *
   * @param prompt prompt token ids
   * @param needle needle token ids, at least one
   * @return the span, or empty where the reference returns (-1, -1)
   */
  public static Optional<NeedleSpan> referenceWindow(int[] prompt, int[] needle) {
    requireNeedle(needle);
    Set<Integer> needleSet = new HashSet<>();
    for (int token : needle) {
      needleSet.add(token);
    }
    for (int i = 0; i < prompt.length; i++) {
      Set<Integer> window = new HashSet<>();
      for (int k = i; k < Math.min(prompt.length, i + needle.length); k++) {
        window.add(prompt[k]);
      }
      window.retainAll(needleSet);
      if ((double) window.size() / needleSet.size() > 0.9) {
        return Optional.of(new NeedleSpan(i, i + needle.length));
      }
    }
    return Optional.empty();
  }

  private static void requireNeedle(int[] needle) {
    if (needle.length == 0) {
      throw new IllegalArgumentException("needle must hold at least one token");
    }
  }
}
