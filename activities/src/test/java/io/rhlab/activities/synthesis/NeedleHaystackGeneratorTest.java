package io.rhlab.activities.synthesis;

import static io.rhlab.activities.synthesis.GeneratorChecks.TOKENIZER;
import static io.rhlab.activities.synthesis.GeneratorChecks.wellFormed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.workflows.spec.NeedleData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NeedleHaystackGeneratorTest {
  private static final TextCorpus CORPUS = TextCorpus.europarl();
  private static final Pattern NEEDLE = Pattern.compile("One of the special magic numbers for ([a-z]+-[a-z]+) is: (\\d{7})\\.");

  private static NeedleHaystackGenerator gen(int examples, String kind, int needles, String haystack, List<Integer> lengths, List<Integer> depths, long seed, int perChunk) {
    return new NeedleHaystackGenerator(new NeedleData(examples, kind, needles, haystack, lengths, depths, seed, perChunk), CORPUS, TOKENIZER);
  }

  @Test
  void golden_exactPromptsForFixedSeeds() {
    TaskExample single = gen(4, "single", 1, "noise", List.of(128), List.of(50), 1, 4).example(0);
    assertEquals(GoldenPrompts.NIAH_NOISE_SINGLE, single.prompt());
    assertEquals(GoldenPrompts.NIAH_NOISE_SINGLE_ANSWER, single.answer());
    TaskExample query = gen(4, "multi-query", 2, "text", List.of(256), List.of(0), 1, 4).example(0);
    assertEquals(GoldenPrompts.NIAH_TEXT_MULTI_QUERY, query.prompt());
    assertEquals(GoldenPrompts.NIAH_TEXT_MULTI_QUERY_ANSWER, query.answer());
    TaskExample value = gen(4, "multi-value", 3, "text", List.of(256), List.of(100), 1, 4).example(0);
    assertEquals(GoldenPrompts.NIAH_TEXT_MULTI_VALUE, value.prompt());
    assertEquals(GoldenPrompts.NIAH_TEXT_MULTI_VALUE_ANSWER, value.answer());
    assertEquals(List.of("9539373", "4656959", "9348627"), value.answers());
  }

  @Test
  void everyKind_needlesKeysAndValuesAreUniqueAndTheAnswerIsRight() {
    for (String kind : NeedleData.KINDS) {
      int n = kind.equals("single") ? 1 : 4;
      NeedleHaystackGenerator g = gen(30, kind, n, "text", List.of(400), List.of(0, 50, 100), 7, 30);
      for (int i = 0; i < 30; i++) {
        TaskExample e = g.example(i);
        wellFormed(e, 400);
        Matcher m = NEEDLE.matcher(e.prompt());
        List<String> keys = new java.util.ArrayList<>();
        List<String> values = new java.util.ArrayList<>();
        while (m.find()) {
          keys.add(m.group(1));
          values.add(m.group(2));
        }
        assertEquals(n, values.size(), kind + " needles in example " + i);
        assertEquals(n, new HashSet<>(values).size(), "distinct values");
        Set<String> distinctKeys = new HashSet<>(keys);
        assertEquals(kind.equals("multi-value") ? 1 : n, distinctKeys.size(), kind + " keys");
        String question = e.prompt().substring(e.prompt().lastIndexOf("Question: "));
        switch (kind) {
          case "single", "multi-key" -> {
            // the value of the one asked key
            String asked = keys.stream().filter(question::contains).findFirst().orElseThrow();
            assertEquals(1, keys.stream().filter(question::contains).count(), "one key asked");
            assertEquals(List.of(values.get(keys.indexOf(asked))), e.answers());
          }
          case "multi-value" -> assertEquals(values, e.answers()); // in prompt order
          default -> {
            assertTrue(keys.stream().allMatch(question::contains), "every key asked");
            for (String a : e.answers()) {
              assertTrue(values.contains(a));
            }
            assertEquals(n, e.answers().size());
          }
        }
      }
    }
  }

  @Test
  void grid_everyLengthMeetsEveryDepthEquallyOften_andTheNeedleSitsAtItsDepth() {
    List<Integer> lengths = List.of(256, 1024);
    List<Integer> depths = List.of(0, 25, 50, 75, 100);
    NeedleHaystackGenerator g = gen(30, "single", 1, "noise", lengths, depths, 3, 30);
    int[][] cells = new int[2][5];
    int longestNoise = Haystack.NOISE.stream().mapToInt(x -> TOKENIZER.encode(x).length).max().orElseThrow();
    for (int i = 0; i < 30; i++) {
      TaskExample e = g.example(i);
      int length = (Integer) e.attributes().get("context_length");
      int depth = (Integer) e.attributes().get("depth_percent");
      cells[lengths.indexOf(length)][depths.indexOf(depth)]++;
      wellFormed(e, length);
      // filled to within one noise sentence and a space of the budget
      int used = TOKENIZER.encode(e.prompt()).length + TOKENIZER.encode(e.answer()).length;
      assertTrue(used > length - longestNoise - 1, used + " of " + length + " tokens used");
      // token position of the needle within the haystack, independently measured
      String haystack = e.prompt().substring(0, e.prompt().indexOf("\n\nBased on"));
      String needle = "One of the special magic numbers";
      int before = TOKENIZER.encode(haystack.substring(0, haystack.indexOf(needle))).length;
      int needleTokens = TOKENIZER.encode(haystack.substring(haystack.indexOf(needle), haystack.indexOf('.', haystack.indexOf(needle)) + 1)).length;
      int fillerTokens = TOKENIZER.encode(haystack).length - needleTokens;
      double at = 100.0 * before / fillerTokens;
      // sentence boundaries of the noise filler are at most one sentence and a space apart
      assertTrue(Math.abs(at - depth) <= 100.0 * (longestNoise + 1) / fillerTokens, "needle at " + at + "% for depth " + depth);
    }
    for (int[] row : cells) {
      assertArrayEquals(new int[] {3, 3, 3, 3, 3}, row);
    }
  }

  @Test
  void paperSizes_aThirtyTwoThousandTokenContextFillsItsBudget() {
    NeedleHaystackGenerator g = gen(1, "multi-key", 4, "text", List.of(32_768), List.of(50), 5, 1);
    long start = System.nanoTime();
    TaskExample e = g.example(0);
    double seconds = (System.nanoTime() - start) / 1e9;
    wellFormed(e, 32_768);
    int tokens = TOKENIZER.encode(e.prompt()).length;
    assertTrue(tokens > 32_000, tokens + " tokens");
    System.out.printf("32K-token NIAH example in %.2f s%n", seconds);
  }

  @Test
  void parts_doNotDependOnPartSize_andLinesAreTaskExamples() throws Exception {
    byte[] small = GeneratorChecks.concat(gen(7, "single", 1, "text", List.of(256), List.of(10, 90), 11, 2), 4);
    byte[] large = GeneratorChecks.concat(gen(7, "single", 1, "text", List.of(256), List.of(10, 90), 11, 7), 1);
    assertArrayEquals(small, large);
    String first = new String(small, java.nio.charset.StandardCharsets.UTF_8).split("\n")[0];
    TaskExample read = new ObjectMapper().readValue(first, TaskExample.class);
    assertEquals(gen(7, "single", 1, "text", List.of(256), List.of(10, 90), 11, 2).example(0), read);
    assertTrue(first.startsWith("{\"task\":\"niah\",\"index\":0,\"prompt\":"), first.substring(0, 60));
  }

  @Test
  void tooSmallContext_isRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> gen(1, "multi-query", 8, "noise", List.of(128), List.of(0), 1, 1).example(0));
    assertTrue(e.getMessage().startsWith("contextLengths: 128 tokens cannot hold"), e.getMessage());
  }
}
