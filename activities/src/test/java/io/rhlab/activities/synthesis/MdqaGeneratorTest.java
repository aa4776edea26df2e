package io.rhlab.activities.synthesis;

import static io.rhlab.activities.synthesis.GeneratorChecks.TOKENIZER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.MdqaData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MdqaGeneratorTest {
  private static final TextCorpus CORPUS = TextCorpus.europarl();
  private static final java.util.Set<String> TITLES =
      CORPUS.documents().stream().map(d -> MdqaGenerator.title(d.title()))
          .collect(java.util.stream.Collectors.toSet());

  @Test
  void title_keepsTwelveWordsAtMost() {
    assertEquals("Echelon", MdqaGenerator.title(" Echelon "));
    String twelve = "a b c d e f g h i j k l";
    assertEquals(twelve, MdqaGenerator.title(twelve));
    assertEquals(twelve + " ...", MdqaGenerator.title(twelve + " m  n"));
  }

  private static MdqaGenerator gen(int documents, List<Integer> positions, int hops, int tokens, long seed) {
    return new MdqaGenerator(new MdqaData(100, documents, positions, hops, tokens, seed, 100), CORPUS, TOKENIZER);
  }

  /** The documents' texts, in order, parsed back out of the prompt. */
  private static List<String> documents(String prompt) {
    List<String> out = new ArrayList<>();
    for (String line : prompt.split("\n")) {
      String head = "Document [" + (out.size() + 1) + "](Title: ";
      if (line.startsWith(head)) {
        // titles may hold ") ": take the longest corpus title the line starts with
        String title = TITLES.stream().filter(t -> line.startsWith(head + t + ") "))
            .max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
        out.add(line.substring(head.length() + title.length() + 2));
      }
    }
    return out;
  }

  @Test
  void golden_lostInTheMiddlePrompt_oneAndTwoHops() {
    TaskExample one = gen(4, List.of(1, 4), 1, 40, 3).example(1);
    assertEquals(GoldenPrompts.MDQA_ONE_HOP, one.prompt());
    assertEquals(GoldenPrompts.MDQA_ONE_HOP_ANSWER, one.answer());
    TaskExample two = gen(4, List.of(2), 2, 40, 3).example(0);
    assertEquals(GoldenPrompts.MDQA_TWO_HOP, two.prompt());
    assertEquals(GoldenPrompts.MDQA_TWO_HOP_ANSWER, two.answer());
  }

  @Test
  void goldDocumentAlone_holdsTheAnswer_atTheChosenPositionsEquallyOften() {
    List<Integer> positions = List.of(1, 5, 10, 15, 20);
    MdqaGenerator g = gen(20, positions, 1, 60, 8);
    int[] counts = new int[20];
    for (int i = 0; i < 50; i++) {
      TaskExample e = g.example(i);
      GeneratorChecks.wellFormed(e, Integer.MAX_VALUE);
      List<String> docs = documents(e.prompt());
      assertEquals(20, docs.size());
      int gold = (Integer) e.attributes().get("gold_position");
      counts[gold - 1]++;
      for (int d = 0; d < docs.size(); d++) {
        assertEquals(d == gold - 1, docs.get(d).contains(e.answers().get(0)), "document " + (d + 1) + " of example " + i);
        assertTrue(TOKENIZER.encode(docs.get(d)).length <= 60, "document within its token budget: " + docs.get(d));
        assertTrue(!docs.get(d).isEmpty(), "document " + (d + 1) + " has text");
      }
    }
    for (int p = 1; p <= 20; p++) {
      assertEquals(positions.contains(p) ? 10 : 0, counts[p - 1], "gold at " + p);
    }
  }

  @Test
  void twoHops_bridgeDocumentNamesTheAnswer_goldDocumentThePerson() {
    MdqaGenerator g = gen(10, List.of(1, 10), 2, 60, 12);
    int[] bridges = new int[10];
    for (int i = 0; i < 200; i++) {
      TaskExample e = g.example(i);
      List<String> docs = documents(e.prompt());
      int gold = (Integer) e.attributes().get("gold_position");
      int bridge = (Integer) e.attributes().get("bridge_position");
      assertTrue(gold != bridge);
      bridges[bridge - 1]++;
      String answer = e.answers().get(0);
      assertEquals(1, GeneratorChecks.occurrences(e.prompt(), answer));
      assertTrue(docs.get(bridge - 1).contains("The mayor of ") && docs.get(bridge - 1).contains(answer));
      String question = e.prompt().substring(e.prompt().indexOf("\nQuestion: "));
      String person = question.replaceAll("(?s).*where (\\S+) was born\\?.*", "$1");
      assertTrue(docs.get(gold - 1).contains(person + " was born in the town of "), docs.get(gold - 1));
      String town = docs.get(gold - 1).replaceAll(".*" + person + " was born in the town of (\\w+)\\..*", "$1");
      assertTrue(docs.get(bridge - 1).contains("The mayor of " + town + " is " + answer + "."));
    }
    // every other position can hold the bridge document
    for (int p = 0; p < 10; p++) {
      assertTrue(bridges[p] > 0, "bridge never at " + (p + 1));
    }
  }
}
