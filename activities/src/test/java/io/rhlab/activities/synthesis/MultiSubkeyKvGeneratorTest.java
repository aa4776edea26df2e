package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.workflows.spec.MultiSubkeyKvData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MultiSubkeyKvGeneratorTest {
  private static final Pattern ENTRY = Pattern.compile("\\(([\\d, ]+)\\): (\\d+)");
  private static final Pattern DICT = Pattern.compile("Dictionary \\[(\\d+)\\] \\{(.*)}");

  @Test
  void golden_exactPrompt() {
    TaskExample e = new MultiSubkeyKvGenerator(new MultiSubkeyKvData(4, 3, 2, 1, 2, 3, 2, 2, 3, true, 5, 4)).example(0);
    assertEquals(GoldenPrompts.MULTISUBKEY, e.prompt());
    assertEquals(GoldenPrompts.MULTISUBKEY_ANSWER, e.answer());
    assertEquals(List.of("(999, 76, 29): 600"), e.needles());
  }

  @Test
  void onlyTheGoldKeyHoldsEveryAskedSubkey_andTheGoldValueIsUnique() {
    MultiSubkeyKvGenerator g = new MultiSubkeyKvGenerator(new MultiSubkeyKvData(300, 12, 3, 3, 4, 3, 2, 1, 2, false, 9, 300));
    for (int i = 0; i < 300; i++) {
      TaskExample e = g.example(i);
      String question = e.prompt().substring(e.prompt().indexOf("contains the integers ") + 22, e.prompt().indexOf(" and the dictionary"));
      Set<String> asked = new HashSet<>(List.of(question.replace(" and ", ", ").split(", ")));
      assertEquals(3, asked.size());
      int holders = 0;
      int holderDictionary = -1;
      List<String> values = new ArrayList<>();
      for (String line : e.prompt().split("\n")) {
        Matcher d = DICT.matcher(line);
        if (!d.matches()) {
          continue;
        }
        Matcher m = ENTRY.matcher(d.group(2));
        while (m.find()) {
          List<String> subkeys = List.of(m.group(1).split(", "));
          assertEquals(subkeys.size(), new HashSet<>(subkeys).size(), "subkeys distinct within a key");
          values.add(m.group(2));
          if (subkeys.containsAll(asked)) {
            holders++;
            holderDictionary = Integer.parseInt(d.group(1));
            assertEquals(e.answers().get(0), m.group(2));
          }
          for (String s : subkeys) {
            assertTrue(!s.equals(e.answers().get(0)), "gold value is no subkey");
          }
        }
      }
      assertEquals(1, holders, "keys holding every asked subkey in example " + i);
      assertEquals(e.attributes().get("gold_dictionary"), holderDictionary);
      assertEquals(1, values.stream().filter(v -> v.equals(e.answers().get(0))).count(), "gold value once");
      assertEquals(1, GeneratorChecks.occurrences(e.prompt(), e.needles().get(0)));
    }
  }

  @Test
  void goldDictionary_isUniform() {
    MultiSubkeyKvGenerator g = new MultiSubkeyKvGenerator(new MultiSubkeyKvData(3000, 10, 2, 1, 2, 2, 1, 3, 3, false, 4, 3000));
    int[] counts = new int[10];
    for (int i = 0; i < 3000; i++) {
      counts[(Integer) g.example(i).attributes().get("gold_dictionary") - 1]++;
    }
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001 under uniformity
    double chi2 = GeneratorChecks.chiSquared(counts);
    assertTrue(chi2 < 27.88, "chi2 = " + chi2);
  }
}
