package io.rhlab.activities.analysis;

import io.rhlab.activities.model.TextTokenizer;

/**
 * A 32-token character tokenizer for the planted-structure tests: id 0 newline, 1..26 'a'..'z', 27
 * space, 28 '?', 29 ':', 30 '.', 31 '#'. No special tokens.
 */
final class LetterTokenizer implements TextTokenizer {

  static final String ALPHABET = "\nabcdefghijklmnopqrstuvwxyz ?:.#";

  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ALPHABET.indexOf(text.charAt(i));
      if (ids[i] < 0) {
        throw new IllegalArgumentException("character '" + text.charAt(i) + "' is not in the vocabulary");
      }
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    for (int id : ids) {
      if (id < 0 || id >= ALPHABET.length()) {
        throw new IllegalArgumentException("id must be in [0, 32), got " + id);
      }
      text.append(ALPHABET.charAt(id));
    }
    return text.toString();
  }

  @Override
  public int vocabSize() {
    return ALPHABET.length();
  }

  @Override
  public int bosId() {
    return -1;
  }

  @Override
  public int eosId() {
    return -1;
  }

  @Override
  public int padId() {
    return -1;
  }
}
