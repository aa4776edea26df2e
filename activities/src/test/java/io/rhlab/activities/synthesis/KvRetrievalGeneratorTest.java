package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.KvRetrievalData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KvRetrievalGeneratorTest {
  private static final Pattern DICT = Pattern.compile("Dictionary \\[(\\d+)\\] \\{([^}]*)\\}");

  private static KvRetrievalData spec(int examples, int dicts, boolean template, long seed, int perChunk) {
    return new KvRetrievalData(examples, dicts, 3, 3, 4, 3, 4, template, seed, perChunk);
  }

  @Test
  void example_goldenTextForFixedSeed() {
    KvExample e = new KvRetrievalGenerator(new KvRetrievalData(1, 3, 2, 1, 2, 3, 3, true, 42, 1)).example(0);
    assertEquals(GOLDEN_PROMPT, e.prompt());
    assertEquals(GOLDEN_ANSWER, e.answer());
  }

  // Recorded from the generator at SYNTHESIS_VERSION 1 (version 2 changed only MDQA titles); a change
  // here means bumping that version.
  static final String GOLDEN_PROMPT =
      "Do a task using the list of dictionaries below.\n\n"
          + "Dictionary [1] {387: 984, 102: 196}\n"
          + "Dictionary [2] {180: 372}\n"
          + "Dictionary [3] {167: 641, 148: 979}\n\n"
          + "Above is a list of dictionaries such that each key and value is an integer. Report the value of key"
          + " 102 and the dictionary it is in. Answer in the following template:\n"
          + "The value of key 102 is <fill-in-value> and it is in Dictionary [<fill-in-dictionary-name>].";
  static final String GOLDEN_ANSWER = "The value of key 102 is 196 and it is in Dictionary [1].";

  @Test
  void example_followsThePaperFormat() {
    KvRetrievalGenerator g = new KvRetrievalGenerator(spec(1, 85, true, 1, 1));
    KvExample e = g.example(0);
    String[] sections = e.prompt().split("\n\n");
    assertEquals("Do a task using the list of dictionaries below.", sections[0]);
    String[] dictLines = sections[1].split("\n");
    assertEquals(85, dictLines.length);
    for (int i = 0; i < 85; i++) {
      assertTrue(
          dictLines[i].matches("Dictionary \\[" + (i + 1) + "\\] \\{\\d{3,4}: \\d{3,4}(, \\d{3,4}: \\d{3,4}){2,3}\\}"),
          dictLines[i]);
    }
    assertEquals(
        "Above is a list of dictionaries such that each key and value is an integer. Report the value of key "
            + e.goldKey() + " and the dictionary it is in. Answer in the following template:\n"
            + "The value of key " + e.goldKey() + " is <fill-in-value> and it is in Dictionary [<fill-in-dictionary-name>].",
        sections[2]);
    assertEquals(
        "The value of key " + e.goldKey() + " is " + e.goldValue() + " and it is in Dictionary [" + e.goldDictionary() + "].",
        e.answer());
    KvExample noTemplate = new KvRetrievalGenerator(spec(1, 85, false, 1, 1)).example(0);
    assertTrue(noTemplate.prompt().endsWith("Report the value of key " + noTemplate.goldKey() + " and the dictionary it is in."));
  }

  @Test
  void example_goldKeyAndValueAreUniqueAndBound() {
    KvRetrievalGenerator g = new KvRetrievalGenerator(spec(500, 20, true, 9, 100));
    for (int i = 0; i < 500; i++) {
      KvExample e = g.example(i);
      int keyCount = 0;
      int valueCount = 0;
      int holder = -1;
      Matcher m = DICT.matcher(e.prompt());
      while (m.find()) {
        List<Integer> keys = new ArrayList<>();
        for (String entry : m.group(2).split(", ")) {
          String[] kv = entry.split(": ");
          int k = Integer.parseInt(kv[0]);
          int v = Integer.parseInt(kv[1]);
          assertTrue(!keys.contains(k), "keys within a dictionary are distinct");
          keys.add(k);
          keyCount += (k == e.goldKey() ? 1 : 0) + (v == e.goldKey() ? 1 : 0);
          valueCount += (k == e.goldValue() ? 1 : 0) + (v == e.goldValue() ? 1 : 0);
          if (k == e.goldKey()) {
            assertEquals(e.goldValue(), v);
            holder = Integer.parseInt(m.group(1));
            assertEquals(3, m.group(2).split(", ").length, "the gold dictionary has goldKeys keys");
          }
        }
      }
      assertEquals(1, keyCount, "gold key occurs once in example " + i);
      assertEquals(1, valueCount, "gold value occurs once in example " + i);
      assertEquals(e.goldDictionary(), holder);
    }
  }

  @Test
  void example_goldPositionIsUniform() {
    int dicts = 10;
    int n = 5000;
    int[] counts = new int[dicts];
    KvRetrievalGenerator g = new KvRetrievalGenerator(spec(n, dicts, true, 3, 100));
    for (int i = 0; i < n; i++) {
      counts[g.example(i).goldDictionary() - 1]++;
    }
    double expected = n / (double) dicts;
    double chi2 = 0;
    for (int c : counts) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001 under uniformity
    assertTrue(chi2 < 27.88, "chi2 = " + chi2);
  }

  @Test
  void parts_doNotDependOnPartSize() {
    assertArrayEquals(concat(spec(53, 5, true, 11, 7)), concat(spec(53, 5, true, 11, 50)));
  }

  @Test
  void parts_differBySeed() {
    assertTrue(!java.util.Arrays.equals(concat(spec(5, 5, true, 1, 5)), concat(spec(5, 5, true, 2, 5))));
  }

  private static byte[] concat(KvRetrievalData d) {
    KvRetrievalGenerator g = new KvRetrievalGenerator(d);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = 0; p < d.chunks(); p++) {
      out.writeBytes(g.part(p));
    }
    assertEquals(d.examples(), out.toString().lines().count());
    return out.toByteArray();
  }
}
