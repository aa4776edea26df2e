package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StringMatchTest {

  @Test
  void normalize_lowerCasesAndTurnsPunctuationIntoSingleSpaces() {
    assertEquals(
        "the value 7634 dictionary 27",
        StringMatch.normalize("  The Value: 7634!\nDictionary [27]. "));
    assertEquals("full width", StringMatch.normalize("ＦＵＬＬ－ｗｉｄｔｈ")); // NFKC
    assertEquals("", StringMatch.normalize(" ?! "));
  }

  @Test
  void contains_matchesWholeWordsOnly() {
    assertTrue(StringMatch.contains("It is 12.", "12"));
    assertFalse(StringMatch.contains("It is 123.", "12"));
    assertTrue(StringMatch.contains("eat a Sandwich, and sit", "a sandwich and"));
    assertFalse(StringMatch.contains("sandwiches", "sandwich"));
  }

  @Test
  void containsAny_acceptsAnyListedAnswer() {
    assertTrue(StringMatch.containsAny("Paris, France", List.of("Lyon", "paris")));
    assertFalse(StringMatch.containsAny("Paris, France", List.of("Lyon", "Nice")));
  }

  @Test
  void answerWithoutLetterOrDigit_isRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StringMatch.contains("x", " ?"));
    assertEquals("answer must contain a letter or digit, got \" ?\"", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StringMatch.containsAny("x", List.of()));
  }
}
