package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InductionCurriculumTest {

  private static final KvRetrievalData SHAPE =
      new KvRetrievalData(1, 3, 2, 2, 3, 2, 2, false, 0, 1000);

  @Test
  void apply_isAPureFunctionOfSeedAndPosition() {
    InductionCurriculum.Mix mix = new InductionCurriculum.Mix(1, 1, 1, 8, 4);
    InductionCurriculum a = new InductionCurriculum(SHAPE, 9, mix);
    InductionCurriculum b = new InductionCurriculum(SHAPE, 9, mix);
    for (long p = 0; p < 30; p++) {
      assertEquals(a.apply(p), b.apply(p));
    }
    assertNotEquals(a.apply(0), new InductionCurriculum(SHAPE, 10, mix).apply(0));
  }

  @Test
  void keyedBefore_givesKeyedSequencesFirstThenTheMix() {
    InductionCurriculum.Mix lookupOnly = InductionCurriculum.Mix.lookupOnly(2);
    InductionCurriculum phased = new InductionCurriculum(SHAPE, 9, lookupOnly, 20);
    InductionCurriculum keyed = new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.keyedOnly(2));
    InductionCurriculum plain = new InductionCurriculum(SHAPE, 9, lookupOnly);
    for (long p = 0; p < 20; p++) {
      assertTrue(phased.apply(p).text().startsWith("Dictionary [1] {"), "keyed at " + p);
      assertEquals(keyed.apply(p), phased.apply(p));
    }
    for (long p = 20; p < 30; p++) {
      assertEquals(plain.apply(p), phased.apply(p));
      assertTrue(phased.apply(p).text().startsWith("Do a task"), "lookup at " + p);
    }
    assertThrows(IllegalArgumentException.class, () -> new InductionCurriculum(SHAPE, 9, lookupOnly, -1));
  }

  @Test
  void keyed_queriesAnswerTheDictionariesAndLeaveKeysOutOfTheLoss() {
    InductionCurriculum curriculum =
        new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.keyedOnly(9));
    Pattern query = Pattern.compile("key (\\d+) is (\\d+) in \\[(\\d+)]");
    for (long p = 0; p < 20; p++) {
      TrainingSequence sequence = curriculum.apply(p);
      String text = sequence.text();
      String context = sequence.segments().get(0).text();
      assertTrue(context.startsWith("Dictionary [1] {"), context);
      Matcher m = query.matcher(text.substring(context.length()));
      int queries = 0;
      while (m.find()) {
        queries++;
        String line =
            context.lines().filter(l -> l.startsWith("Dictionary [" + m.group(3) + "]")).findFirst().orElseThrow();
        assertTrue(line.matches(".*[{ ]" + m.group(1) + ": " + m.group(2) + "[,}].*"), m.group() + " vs " + line);
      }
      assertEquals(context.split(": ").length - 1, queries, "one query line per entry");
      // Only the value and the dictionary number are targets: each follows "is " or "[".
      List<TrainingSequence.Segment> segments = sequence.segments();
      for (int i = 1; i < segments.size(); i++) {
        String before = segments.get(i - 1).text();
        boolean answer = before.endsWith(" is ") || before.endsWith("[");
        assertEquals(answer, segments.get(i).target(), segments.get(i).text());
        assertEquals(answer, segments.get(i).text().matches("\\d+"), segments.get(i).text());
      }
    }
  }

  @Test
  void keyed_asksKeysIndependentlySoAnsweredKeysAreNoHint() {
    // A model that left out the keys already asked would gain nothing: line i of a sequence with n
    // entries repeats an earlier key with probability 1 - ((n - 1) / n)^i, as for independent draws.
    InductionCurriculum curriculum =
        new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.keyedOnly(9));
    Pattern query = Pattern.compile("key (\\d+) is");
    double expected = 0;
    int repeats = 0;
    for (long p = 0; p < 2000; p++) {
      TrainingSequence sequence = curriculum.apply(p);
      String context = sequence.segments().get(0).text();
      int entries = context.split(": ").length - 1;
      Matcher m = query.matcher(sequence.text().substring(context.length()));
      java.util.Set<String> asked = new java.util.HashSet<>();
      for (int line = 0; m.find(); line++) {
        expected += 1 - Math.pow((entries - 1.0) / entries, line);
        repeats += asked.add(m.group(1)) ? 0 : 1;
      }
    }
    // about 3,290 expected repeats (3,275 drawn) with a standard deviation of about 42: 5% is ~4 sd
    assertTrue(expected > 2000, "expected " + expected);
    assertEquals(expected, repeats, 0.05 * expected);
  }

  @Test
  void lookup_extraLinesAnswerOtherUniqueKeysCorrectly() {
    InductionCurriculum curriculum =
        new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.lookupOnly(3));
    Pattern line = Pattern.compile("The value of key (\\d+) is (\\d+) and it is in Dictionary \\[(\\d+)]\\.");
    for (long p = 0; p < 20; p++) {
      TrainingSequence sequence = curriculum.apply(p);
      String prompt = sequence.segments().get(0).text();
      assertTrue(prompt.endsWith("dictionary it is in.\n"));
      String[] lines = sequence.text().substring(prompt.length()).split("\n");
      // the real answer, then one line per other key that occurs once, at most 3 (bounds the row)
      int others = InductionCurriculum.uniqueEntries(prompt).size() - 1;
      assertEquals(1 + Math.min(3, others), lines.length, sequence.text());
      for (String answer : lines) {
        Matcher m = line.matcher(answer);
        assertTrue(m.matches(), answer);
        String dictionary =
            prompt.lines().filter(l -> l.startsWith("Dictionary [" + m.group(3) + "]")).findFirst().orElseThrow();
        assertTrue(dictionary.matches(".*[{ ]" + m.group(1) + ": " + m.group(2) + "[,}].*"), answer + " vs " + dictionary);
      }
    }
  }

  @Test
  void uniqueEntries_skipsRepeatedKeys() {
    String prompt = "Dictionary [1] {12: 34, 56: 78}\nDictionary [2] {12: 5, 9: 10}\n";
    List<int[]> entries = InductionCurriculum.uniqueEntries(prompt);
    assertEquals(2, entries.size());
    assertEquals(List.of(56, 78, 1), List.of(entries.get(0)[0], entries.get(0)[1], entries.get(0)[2]));
    assertEquals(List.of(9, 10, 2), List.of(entries.get(1)[0], entries.get(1)[1], entries.get(1)[2]));
  }

  @Test
  void copy_repeatsTheLineOfSingleTokenPieces() {
    InductionCurriculum curriculum =
        new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.copyOnly(6));
    TrainingSequence sequence = curriculum.apply(3);
    String line = sequence.segments().get(1).text();
    assertEquals(line + "\n", sequence.segments().get(0).text());
    assertFalse(sequence.segments().get(0).target());
    assertEquals(6, TrainingFixtures.TOKENIZER.encode(line).length);
  }

  @Test
  void constructor_rejectsTooFewNumbers() {
    KvRetrievalData crowded = new KvRetrievalData(1, 10, 4, 4, 4, 1, 1, false, 0, 1000);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new InductionCurriculum(crowded, 1, InductionCurriculum.Mix.lookupOnly(1)));
    assertEquals(
        "maxDigits: too few distinct 1-1 digit numbers (10) for 10 dictionaries; need 160",
        e.getMessage());
  }
}
