package io.rhlab.activities.synthesis;

import io.rhlab.workflows.spec.MultiSubkeyKvData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Multi-subkey key-value retrieval (Xiong et al. 2024): keys are tuples of integers.
 *
 * <pre>
 * Do a task using the list of dictionaries below.
 *
 * Dictionary [1] {(512, 38, 7701): 4410, (93, 512, 260): 118}
 * ...
 *
 * Above is a list of dictionaries such that each key is a tuple of integers and each value is an
 * integer. Report the value of the key that contains the integers 7701, 512 and 38 and the
 * dictionary it is in.[ Answer in the following template:
 * The value of the key is &lt;fill-in-value&gt; and it is in Dictionary [&lt;fill-in-dictionary-name&gt;].]
 * </pre>
 *
 * <p>Every other key takes between 0 and commonSubkeys of the asked key's subkeys (uniformly, at
 * random places in its tuple) and fills the rest with numbers that are none of the asked key's
 * subkeys, so only the asked key holds all of them. The gold value occurs nowhere else in the prompt
 * (as a number); subkeys within a tuple are distinct. The gold dictionary's position is uniform.
 */
public final class MultiSubkeyKvGenerator implements ExampleGenerator {
  private static final long STREAM = 0x510E527FADE682D1L;
  private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  private final MultiSubkeyKvData spec;

  public MultiSubkeyKvGenerator(MultiSubkeyKvData spec) {
    this.spec = spec;
  }

  @Override
  public MultiSubkeyKvData spec() {
    return spec;
  }

  @Override
  public TaskExample example(long index) {
    SplittableRandom rnd = Entities.random(spec.seed(), index, STREAM);
    int n = spec.dictionaries();
    int s = spec.subkeys();
    int gold = rnd.nextInt(n);
    List<Long> goldKey = new ArrayList<>();
    Set<Long> goldSet = new HashSet<>();
    while (goldKey.size() < s) {
      long k = number(rnd);
      if (goldSet.add(k)) {
        goldKey.add(k);
      }
    }
    long goldValue;
    do {
      goldValue = number(rnd);
    } while (goldSet.contains(goldValue));

    StringBuilder p = new StringBuilder("Do a task using the list of dictionaries below.\n\n");
    String goldEntry = null;
    for (int d = 0; d < n; d++) {
      int keys = d == gold ? spec.goldKeys() : spec.minKeys() + rnd.nextInt(spec.maxKeys() - spec.minKeys() + 1);
      int goldSlot = d == gold ? rnd.nextInt(keys) : -1;
      p.append("Dictionary [").append(d + 1).append("] {");
      for (int k = 0; k < keys; k++) {
        List<Long> key;
        long value;
        if (k == goldSlot) {
          key = goldKey;
          value = goldValue;
        } else {
          key = distractorKey(rnd, goldKey, goldSet, goldValue);
          do {
            value = number(rnd);
          } while (value == goldValue);
        }
        if (k > 0) {
          p.append(", ");
        }
        String entry = tuple(key) + ": " + value;
        if (k == goldSlot) {
          goldEntry = entry;
        }
        p.append(entry);
      }
      p.append("}\n");
    }
    List<Long> asked = new ArrayList<>(goldKey);
    Collections.shuffle(asked, new java.util.Random(rnd.nextLong()));
    List<String> askedText = asked.stream().map(String::valueOf).toList();
    p.append("\nAbove is a list of dictionaries such that each key is a tuple of integers and each value is an"
            + " integer. Report the value of the key that contains the integers ")
        .append(NeedleHaystackGenerator.joinAnd(askedText))
        .append(" and the dictionary it is in.");
    if (spec.answerTemplate()) {
      p.append(" Answer in the following template:\nThe value of the key is <fill-in-value> and it is in"
          + " Dictionary [<fill-in-dictionary-name>].");
    }
    String answer = "The value of the key is " + goldValue + " and it is in Dictionary [" + (gold + 1) + "].";
    TreeMap<String, Object> attributes = new TreeMap<>();
    attributes.put("gold_dictionary", gold + 1);
    attributes.put("dictionaries", n);
    attributes.put("subkeys", s);
    return new TaskExample(MultiSubkeyKvData.TASK, index, p.toString(), answer, List.of(String.valueOf(goldValue)),
        List.of(goldEntry), attributes);
  }

  /** A tuple sharing 0..commonSubkeys of the gold subkeys, the rest neither gold subkeys nor the gold value. */
  private List<Long> distractorKey(SplittableRandom rnd, List<Long> goldKey, Set<Long> goldSet, long goldValue) {
    int s = spec.subkeys();
    int shared = rnd.nextInt(spec.commonSubkeys() + 1);
    List<Long> pool = new ArrayList<>(goldKey);
    Collections.shuffle(pool, new java.util.Random(rnd.nextLong()));
    List<Long> key = new ArrayList<>(pool.subList(0, shared));
    Set<Long> inKey = new HashSet<>(key);
    while (key.size() < s) {
      long k = number(rnd);
      if (!goldSet.contains(k) && k != goldValue && inKey.add(k)) {
        key.add(k);
      }
    }
    Collections.shuffle(key, new java.util.Random(rnd.nextLong()));
    return key;
  }

  private static String tuple(List<Long> key) {
    StringBuilder t = new StringBuilder("(");
    for (int i = 0; i < key.size(); i++) {
      if (i > 0) {
        t.append(", ");
      }
      t.append(key.get(i));
    }
    return t.append(')').toString();
  }

  private long number(SplittableRandom rnd) {
    int digits = spec.minDigits() + rnd.nextInt(spec.maxDigits() - spec.minDigits() + 1);
    long lo = digits == 1 ? 0 : POW10[digits - 1];
    return lo + rnd.nextLong(POW10[digits] - lo);
  }
}
