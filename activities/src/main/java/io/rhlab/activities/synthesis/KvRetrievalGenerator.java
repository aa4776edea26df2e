package io.rhlab.activities.synthesis;

import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Simple dictionary key-value retrieval prompts in the format of Xiong et al. 2024 (seed 002):
 *
 * <pre>
 * Do a task using the list of dictionaries below.
 *
 * Dictionary [1] {8735: 462, 665: 8253, 195: 1018}
 * ...
 *
 * Above is a list of dictionaries such that each key and value is an integer. Report the value of
 * key 365 and the dictionary it is in.[ Answer in the following template:
 * The value of key 365 is &lt;fill-in-value&gt; and it is in Dictionary [&lt;fill-in-dictionary-name&gt;].]
 * </pre>
 *
 * <p>Sampling: the gold dictionary's position is uniform; a number's digit count is uniform in
 * [minDigits, maxDigits], then its value uniform among numbers of that length. The gold key and
 * gold value occur nowhere else in the prompt (not as a key, not as a value); keys within one
 * dictionary are distinct. Example i is drawn from its own generator seeded by (seed, i), so a
 * part can be regenerated alone and the dataset does not depend on the part size.
 */
public final class KvRetrievalGenerator implements DatasetParts {
  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  private final KvRetrievalData spec;

  public KvRetrievalGenerator(KvRetrievalData spec) {
    this.spec = spec;
  }

  @Override
  public KvRetrievalData spec() {
    return spec;
  }

  @Override
  public KvExample example(long index) {
    SplittableRandom rnd = new SplittableRandom(mix(spec.seed() ^ mix(index + 0x632BE59BD9B4E019L)));
    int n = spec.dictionaries();
    int gold = rnd.nextInt(n);
    int goldKey = number(rnd);
    int goldValue;
    do {
      goldValue = number(rnd);
    } while (goldValue == goldKey);

    StringBuilder p = new StringBuilder("Do a task using the list of dictionaries below.\n\n");
    for (int d = 0; d < n; d++) {
      int keys = d == gold ? spec.goldKeys() : spec.minKeys() + rnd.nextInt(spec.maxKeys() - spec.minKeys() + 1);
      int goldSlot = d == gold ? rnd.nextInt(keys) : -1;
      Set<Integer> used = new HashSet<>();
      p.append("Dictionary [").append(d + 1).append("] {");
      for (int k = 0; k < keys; k++) {
        int key;
        int value;
        if (k == goldSlot) {
          key = goldKey;
          value = goldValue;
        } else {
          do {
            key = number(rnd);
          } while (key == goldKey || key == goldValue || used.contains(key));
          do {
            value = number(rnd);
          } while (value == goldKey || value == goldValue);
        }
        used.add(key);
        if (k > 0) {
          p.append(", ");
        }
        p.append(key).append(": ").append(value);
      }
      p.append("}\n");
    }
    p.append("\nAbove is a list of dictionaries such that each key and value is an integer. Report the value of key ")
        .append(goldKey)
        .append(" and the dictionary it is in.");
    if (spec.answerTemplate()) {
      p.append(" Answer in the following template:\nThe value of key ")
          .append(goldKey)
          .append(" is <fill-in-value> and it is in Dictionary [<fill-in-dictionary-name>].");
    }
    String answer =
        "The value of key " + goldKey + " is " + goldValue + " and it is in Dictionary [" + (gold + 1) + "].";
    return new KvExample(index, p.toString(), answer, goldKey, goldValue, gold + 1);
  }

  private int number(SplittableRandom rnd) {
    int digits = spec.minDigits() + rnd.nextInt(spec.maxDigits() - spec.minDigits() + 1);
    int lo = digits == 1 ? 0 : POW10[digits - 1];
    int hi = POW10[digits]; // exclusive
    return lo + rnd.nextInt(hi - lo);
  }

  /** SplitMix64's finalizer: decorrelates nearby seeds. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
