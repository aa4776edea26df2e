package io.rhlab.activities.synthesis;

import static io.rhlab.activities.synthesis.GeneratorChecks.TOKENIZER;
import static io.rhlab.activities.synthesis.GeneratorChecks.wellFormed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.QuadrantData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuadrantGeneratorTest {
  private static final TextCorpus CORPUS = TextCorpus.europarl();

  private static QuadrantGenerator gen(String realism, String diversity, int length, long seed) {
    return new QuadrantGenerator(new QuadrantData(400, realism, diversity, length, seed, 100), CORPUS, TOKENIZER);
  }

  @Test
  void golden_exactPromptsOfEachRealismAndDiversity() {
    String[][] golden = {
      {"fact", "varied", GoldenPrompts.Q_FACT_VARIED}, {"fact", "repetitive", GoldenPrompts.Q_FACT_REPETITIVE},
      {"relation", "varied", GoldenPrompts.Q_RELATION_VARIED}, {"relation", "repetitive", GoldenPrompts.Q_RELATION_REPETITIVE},
      {"symbolic", "varied", GoldenPrompts.Q_SYMBOLIC_VARIED}, {"symbolic", "repetitive", GoldenPrompts.Q_SYMBOLIC_REPETITIVE}};
    for (String[] g : golden) {
      assertEquals(g[2], gen(g[0], g[1], 160, 2).example(1).prompt(), g[0] + "/" + g[1]);
    }
    assertEquals(GoldenPrompts.Q_FACT_VARIED_ANSWER, gen("fact", "varied", 160, 2).example(1).answer());
  }

  @Test
  void everyQuadrant_answerUniqueAndDiversityAsNamed() {
    boolean repeated = false;
    for (String realism : QuadrantData.REALISMS) {
      for (String diversity : QuadrantData.DIVERSITIES) {
        QuadrantGenerator g = gen(realism, diversity, 1000, 9);
        for (int i = 0; i < 12; i++) {
          TaskExample e = g.example(i);
          wellFormed(e, 1000);
          assertEquals(realism + "/" + diversity, e.attributes().get("quadrant"));
          assertEquals(1, GeneratorChecks.occurrences(e.prompt(), e.answers().get(0)));
          // corpus sentences split only at these boundaries, so splitting the haystack gives them back
          String haystack = e.prompt().substring(0, e.prompt().indexOf("\n\nBased on"));
          List<String> pieces = java.util.Arrays.stream(haystack.split("(?<=[.!?]) (?=[A-Z0-9\"'(])"))
              .filter(p -> !p.contains(e.answers().get(0))) // the needle (and what it runs into)
              .toList();
          Set<String> distinct = new HashSet<>(pieces);
          if (diversity.equals("repetitive")) {
            assertTrue(distinct.size() <= Haystack.REPETITIVE_DISTINCT, distinct.size() + " distinct of " + pieces.size());
            assertTrue(pieces.size() <= Haystack.REPETITIVE_DISTINCT || pieces.size() > distinct.size(), "sentences repeat");
            repeated |= pieces.size() > distinct.size();
          } else {
            assertEquals(pieces.size(), distinct.size(), "no sentence repeats in varied text");
          }
        }
      }
    }
    assertTrue(repeated, "some repetitive haystack repeats its sentences");
  }

  @Test
  void depth_isUniformOverPercentages() {
    QuadrantGenerator g = gen("symbolic", "repetitive", 160, 4);
    int n = 400;
    int[] fifths = new int[5];
    for (int i = 0; i < n; i++) {
      int depth = (Integer) g.example(i).attributes().get("depth_percent");
      assertTrue(depth >= 0 && depth <= 100);
      fifths[Math.min(4, depth / 20)]++; // the last fifth also holds 100: 21 of 101 values
    }
    double[] expected = {20.0 / 101, 20.0 / 101, 20.0 / 101, 20.0 / 101, 21.0 / 101};
    double chi2 = 0;
    for (int b = 0; b < 5; b++) {
      double e = expected[b] * n;
      chi2 += (fifths[b] - e) * (fifths[b] - e) / e;
    }
    // 4 degrees of freedom: P(chi2 > 18.47) = 0.001 under uniformity
    assertTrue(chi2 < 18.47, "chi2 = " + chi2);
  }

  @Test
  void examples_dependOnlyOnSeedAndIndex() {
    assertEquals(gen("fact", "varied", 300, 5).example(17), gen("fact", "varied", 300, 5).example(17));
    assertTrue(!gen("fact", "varied", 300, 5).example(17).equals(gen("fact", "varied", 300, 6).example(17)));
  }
}
