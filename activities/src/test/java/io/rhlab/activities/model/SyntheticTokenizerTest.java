package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTokenizerTest {

  private static final String PROMPT =
      "Do a task using the list of dictionaries below.\n\n"
          + "Dictionary [1] {8735: 462, 665: 8253}\n"
          + "Dictionary [27] {365: 7634, 195: 1018, 42: 9}\n\n"
          + "Above is a list of dictionaries such that each key and value is an integer. "
          + "Report the value of key 365 and the dictionary it is in.";
  private static final String TEMPLATE =
      " Answer in the following template:\nThe value of key 365 is <fill-in-value> and it is in"
          + " Dictionary [<fill-in-dictionary-name>].";
  private static final String ANSWER = "The value of key 365 is 7634 and it is in Dictionary [27].";

  private final SyntheticTokenizer tokenizer = SyntheticTokenizer.withTemplateWords();

  @Test
  void encodeDecode_keyValuePromptAndAnswer_roundTripExactly() {
    assertEquals(PROMPT, tokenizer.decode(tokenizer.encode(PROMPT)));
    assertEquals(ANSWER, tokenizer.decode(tokenizer.encode(ANSWER)));
    assertEquals(PROMPT + TEMPLATE, tokenizer.decode(tokenizer.encode(PROMPT + TEMPLATE)));
  }

  @Test
  void encode_wordsAreOneTokenAndDigitsOneEach() {
    int[] ids = tokenizer.encode("Dictionary [27] {8735: 462}");
    String[] pieces = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      pieces[i] = tokenizer.piece(ids[i]);
    }
    assertArrayEquals(
        new String[] {
          "Dictionary",
          " ",
          "[",
          "2",
          "7",
          "]",
          " ",
          "{",
          "8",
          "7",
          "3",
          "5",
          ":",
          " ",
          "4",
          "6",
          "2",
          "}"
        },
        pieces);
  }

  @Test
  void encode_unknownWord_fallsBackToLetters() {
    int[] ids = tokenizer.encode("Zebra key");
    assertEquals(7, ids.length); // Z e b r a, space, key
    assertEquals("Zebra key", tokenizer.decode(ids));
  }

  @Test
  void encode_nonAscii_isRejectedWithPosition() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("caf\u00e9"));
    assertEquals(
        "character U+00E9 at index 3 is not in the vocabulary (ASCII only)", e.getMessage());
  }

  @Test
  void decode_dropsSpecialTokens() {
    int[] body = tokenizer.encode("key 1");
    int[] wrapped = new int[body.length + 2];
    wrapped[0] = tokenizer.bosId();
    System.arraycopy(body, 0, wrapped, 1, body.length);
    wrapped[wrapped.length - 1] = tokenizer.eosId();
    assertEquals("key 1", tokenizer.decode(wrapped));
  }

  @Test
  void vocabulary_isDeterministicAndSized() {
    SyntheticTokenizer again = new SyntheticTokenizer(SyntheticTokenizer.TEMPLATE_WORDS);
    assertArrayEquals(tokenizer.encode(PROMPT), again.encode(PROMPT));
    // 3 specials + newline + tab + 95 printable ASCII + the multi-letter template words
    assertEquals(100 + SyntheticTokenizer.TEMPLATE_WORDS.size(), tokenizer.vocabSize());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SyntheticTokenizer(List.of("key2")));
    assertEquals("words must be ASCII letters only, got \"key2\"", e.getMessage());
  }
}
