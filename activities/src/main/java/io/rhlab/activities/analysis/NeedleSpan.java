package io.rhlab.activities.analysis;

/**
 * Token positions [start, end) of a needle's answer part inside a prompt.
 *
 * @param start first position
 * @param end one past the last position; may exceed the prompt length for a reference-mode window
 *     found near the prompt's end (the reference does not clip it)
 */
public record NeedleSpan(int start, int end) {

  /** Requires 0 <= start < end. */
  public NeedleSpan {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "needle span must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
    }
  }

  /** Number of positions, the denominator of a retrieval event. */
  public int length() {
    return end - start;
  }

  /** Whether a position lies in the span. */
  public boolean contains(int position) {
    return position >= start && position < end;
  }
}
