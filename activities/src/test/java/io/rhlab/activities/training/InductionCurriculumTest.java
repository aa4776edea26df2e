package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.List;
import org.junit.jupiter.api.Test;

class InductionCurriculumTest {

  private static final KvRetrievalData SHAPE = new KvRetrievalData(1, 3, 2, 2, 3, 2, 2, false, 0, 1000);

  @Test
  void apply_isAPureFunctionOfSeedAndPosition() {
    InductionCurriculum a = new InductionCurriculum(SHAPE, 9, new InductionCurriculum.Mix(0.3, 0.2, 0.2, 0.1, 0, 0.2, 8, 5, 4));
    InductionCurriculum b = new InductionCurriculum(SHAPE, 9, new InductionCurriculum.Mix(0.3, 0.2, 0.2, 0.1, 0, 0.2, 8, 5, 4));
    for (long p = 0; p < 20; p++) {
      assertEquals(a.apply(p), b.apply(p));
    }
    assertTrue(!a.apply(0).equals(new InductionCurriculum(SHAPE, 10, new InductionCurriculum.Mix(0.3, 0.2, 0.2, 0.1, 0, 0.2, 8, 5, 4)).apply(0)));
  }

  @Test
  void lookup_extraLinesAnswerOtherUniqueKeysCorrectly() {
    InductionCurriculum curriculum = new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.lookupOnly(3));
    for (long p = 0; p < 20; p++) {
      TrainingExample example = curriculum.apply(p);
      String[] lines = example.answer().split("\n");
      assertTrue(lines.length >= 2 && lines.length <= 4, example.answer());
      assertTrue(example.prompt().endsWith("dictionary it is in.\n"));
      for (String line : lines) {
        var m = java.util.regex.Pattern.compile("The value of key (\\d+) is (\\d+) and it is in Dictionary \\[(\\d+)]\\.").matcher(line);
        assertTrue(m.matches(), line);
        // The stated entry is in the stated dictionary of the prompt.
        String dictionary = example.prompt().lines().filter(l -> l.startsWith("Dictionary [" + m.group(3) + "]")).findFirst().orElseThrow();
        assertTrue(dictionary.contains("{" + m.group(1) + ": " + m.group(2)) || dictionary.contains(" " + m.group(1) + ": " + m.group(2)), line + " vs " + dictionary);
      }
    }
  }

  @Test
  void uniqueEntries_skipsRepeatedKeysAndTheGoldKey() {
    String prompt = "Dictionary [1] {12: 34, 56: 78}\nDictionary [2] {12: 5, 9: 10}\n";
    List<int[]> entries = InductionCurriculum.uniqueEntries(prompt, 9);
    assertEquals(1, entries.size());
    assertEquals(List.of(56, 78, 1), List.of(entries.get(0)[0], entries.get(0)[1], entries.get(0)[2]));
  }

  @Test
  void copy_repeatsTheLine() {
    InductionCurriculum curriculum = new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.copyOnly(6));
    TrainingExample example = curriculum.apply(3);
    assertEquals(example.answer() + "\n", example.prompt());
    assertEquals(6, TrainingFixtures.TOKENIZER.encode(example.answer()).length);
  }

  @Test
  void recall_secondLineIsAPermutationOfTheFirst() {
    InductionCurriculum curriculum = new InductionCurriculum(SHAPE, 9, InductionCurriculum.Mix.recallOnly(6));
    for (long p = 0; p < 10; p++) {
      TrainingExample example = curriculum.apply(p);
      List<String> context = List.of(example.prompt().strip().split(", "));
      List<String> queries = List.of(example.answer().split(", "));
      assertEquals(6, context.size());
      assertEquals(new java.util.HashSet<>(context), new java.util.HashSet<>(queries));
      assertEquals(6, context.stream().map(e -> e.split(": ")[0]).distinct().count());
    }
  }

  @Test
  void constructor_rejectsTooFewNumbers() {
    KvRetrievalData crowded = new KvRetrievalData(1, 10, 4, 4, 4, 1, 1, false, 0, 1000);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new InductionCurriculum(crowded, 1, InductionCurriculum.Mix.lookupOnly(1)));
    assertEquals(
        "maxDigits: too few distinct 1-1 digit numbers (10) for 10 dictionaries; need 160", e.getMessage());
  }
}
