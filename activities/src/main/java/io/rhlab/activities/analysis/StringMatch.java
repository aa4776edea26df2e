package io.rhlab.activities.analysis;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic string-match scoring (RULER / "Lost in the Middle" style, no judge model).
 *
 * <p>Normalisation: Unicode NFKC, lower case (root locale), every character that is not a letter or
 * a digit becomes a space, runs of whitespace collapse to one space, and the ends are trimmed. So
 * "Dictionary [27]." and "dictionary 27" are equal, and punctuation never decides a match.
 *
 * <p>A match is the normalised answer occurring in the normalised output as whole words: "12" does
 * not match inside "123", which matters for numeric answers such as key-value retrieval.
 */
public final class StringMatch {

  private StringMatch() {}

  /**
   * The normalised form of a text.
   *
   * @param text any text
   * @return lower-case letters and digits separated by single spaces
   */
  public static String normalize(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    boolean pendingSpace = false;
    for (int i = 0; i < folded.length(); ) {
      int c = folded.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetterOrDigit(c)) {
        if (pendingSpace && out.length() > 0) {
          out.append(' ');
        }
        pendingSpace = false;
        out.appendCodePoint(c);
      } else {
        pendingSpace = true;
      }
    }
    return out.toString();
  }

  /**
   * Whether the output contains the answer as whole words after normalisation.
   *
   * @param output generated text
   * @param answer expected answer
   * @return true if the normalised answer occurs in the normalised output at word boundaries
   * @throws IllegalArgumentException if the answer normalises to nothing (no letter or digit)
   */
  public static boolean contains(String output, String answer) {
    String expected = normalize(answer);
    if (expected.isEmpty()) {
      throw new IllegalArgumentException(
          "answer must contain a letter or digit, got \"" + answer + "\"");
    }
    return (" " + normalize(output) + " ").contains(" " + expected + " ");
  }

  /**
   * Whether the output contains any of the acceptable answers.
   *
   * @param output generated text
   * @param answers acceptable answers, at least one
   * @return true if one matches
   * @throws IllegalArgumentException if there is no answer or one normalises to nothing
   */
  public static boolean containsAny(String output, List<String> answers) {
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("answers must hold at least one answer");
    }
    boolean any = false;
    for (String answer : answers) {
      any |= contains(output, answer); // evaluates every answer so a bad one always fails fast
    }
    return any;
  }
}
