package io.rhlab.activities.training;

import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.synthesis.KvExample;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic pre-training data for a from-scratch model: tasks that make it form copy (induction)
 * and key-lookup heads before it is fine-tuned on single-question key-value retrieval. Every
 * sequence is a pure function of (seed, position). Three kinds, mixed by weight:
 *
 * <ul>
 *   <li><b>copy</b>: a line of random pieces, then the same line again (loss on the repeat). Pieces
 *       alternate between a letter piece (template word or letter) and a symbol, so each is one
 *       token of the synthetic vocabulary and the token after a match is almost never ambiguous:
 *       the easiest setting for previous-token and induction heads to form (about 150 steps).
 *   <li><b>keyed</b>: compact lookup. Dictionary lines in the prompt's format ({@code Dictionary
 *       [d] {k: v, ...}}; 1..dictionaries lines, uniformly, so easy sequences with few pairs are
 *       mixed with hard ones; minKeys..maxKeys entries each; keys distinct), then as many query
 *       lines {@code key K is V in [D]} as there are entries (at most {@code queries}), each
 *       asking a key drawn independently from all entries. The answer keeps the real answer's
 *       spacing ({@code key K is V}), so the key's digits sit at the same offsets before the
 *       value as in an entry {@code K: V}: one head that gathers "the digits 3-4 tokens back"
 *       serves both sides of the match. Only V and D are loss targets.
 *   <li><b>lookup</b>: a real prompt from the project's {@link KvRetrievalGenerator}, its real
 *       answer, and as many more answer lines {@code The value of key K is V and it is in
 *       Dictionary [D].} as the prompt has other keys that occur once (at most {@code queries}),
 *       each for a key drawn independently from all that occur once (key digits again context
 *       only).
 * </ul>
 *
 * <p>Why queries are drawn with replacement: when every key was asked exactly once, a model could
 * reach about half of the first value digits without matching any key, by leaving out the values
 * already answered (with n entries left, 1 in n). The lookup heads then did not form and nothing
 * transferred to single-question prompts. Why only V and D are targets: with the template words
 * as targets too, the first layer's heads settled on the line's syntax ({@code key}, {@code is},
 * the spaces) and not on the key's digits. Research notes: bench/RESULTS.md, session 5.
 *
 * <p>What did not work before: a compact recall format {@code k: v, ...} followed by the pairs
 * again in shuffled order stays at the no-context loss for hundreds of steps, because the key sits
 * 2 tokens before the query position but 3 before the value; copying the pairs in their original
 * order is learned but by position, and does not transfer.
 */
public final class InductionCurriculum implements LongFunction<TrainingSequence> {

  private static final Pattern DICTIONARY = Pattern.compile("Dictionary \\[(\\d+)] \\{([^}]*)}");
  private static final Pattern ENTRY = Pattern.compile("(\\d+): (\\d+)");
  private static final String SYMBOLS = "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final List<String> LETTER_PIECES = letterPieces();

  private final KvRetrievalData shape;
  private final KvRetrievalGenerator generator;
  private final long seed;
  private final Mix mix;
  private final long keyedBefore;

  /**
   * How the kinds are mixed and sized.
   *
   * @param copy relative weight of copy sequences, >= 0
   * @param keyed relative weight of compact lookup sequences, >= 0
   * @param lookup relative weight of real-format multi-query sequences, >= 0
   * @param copyLength pieces per copy line, >= 1
   * @param queries most query lines per keyed sequence, or extra answer lines per lookup
   *     sequence, >= 0
   */
  public record Mix(double copy, double keyed, double lookup, int copyLength, int queries) {

    /** Validates the weights (finite, >= 0, not all 0) and sizes. */
    public Mix {
      for (double weight : new double[] {copy, keyed, lookup}) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          throw new IllegalArgumentException(
              "mix weights must be finite and >= 0, got copy=" + copy + ", keyed=" + keyed
                  + ", lookup=" + lookup);
        }
      }
      if (copy + keyed + lookup <= 0) {
        throw new IllegalArgumentException("mix weights must not all be 0");
      }
      if (copyLength < 1) {
        throw new IllegalArgumentException("copyLength must be >= 1, got " + copyLength);
      }
      if (queries < 0) {
        throw new IllegalArgumentException("queries must be >= 0, got " + queries);
      }
    }

    /** Only copy sequences of {@code copyLength} pieces. */
    public static Mix copyOnly(int copyLength) {
      return new Mix(1, 0, 0, copyLength, 0);
    }

    /** Only compact lookup sequences with up to {@code queries} query lines. */
    public static Mix keyedOnly(int queries) {
      return new Mix(0, 1, 0, 1, queries);
    }

    /** Only real-format sequences with up to {@code queries} extra answer lines. */
    public static Mix lookupOnly(int queries) {
      return new Mix(0, 0, 1, 1, queries);
    }
  }

  /**
   * A curriculum.
   *
   * @param shape dictionaries, keys and digits of the lookup kinds (its {@code seed} is replaced
   *     by {@code seed}; {@code examples} and {@code examplesPerChunk} are ignored); for keyed
   *     sequences {@code dictionaries} is the most lines, {@code goldKeys} is unused
   * @param seed the curriculum's seed
   * @param mix the kinds and their sizes
   * @throws IllegalArgumentException naming maxDigits, if there are too few distinct numbers: for
   *     lookup sequences fewer than {@code 4 * dictionaries * max(maxKeys, goldKeys)} (the
   *     experiment spec's rule), for keyed sequences fewer than {@code dictionaries * maxKeys}
   */
  public InductionCurriculum(KvRetrievalData shape, long seed, Mix mix) {
    this(shape, seed, mix, 0);
  }

  /**
   * A curriculum whose first positions are keyed sequences only: a phase of short rows that forms
   * the lookup heads cheaply (a batch mixing kinds pads every row to the longest one), before the
   * weighted mix.
   *
   * @param keyedBefore positions {@code [0, keyedBefore)} are keyed sequences; >= 0
   * @see #InductionCurriculum(KvRetrievalData, long, Mix)
   */
  public InductionCurriculum(KvRetrievalData shape, long seed, Mix mix, long keyedBefore) {
    if (keyedBefore < 0) {
      throw new IllegalArgumentException("keyedBefore must be >= 0, got " + keyedBefore);
    }
    this.keyedBefore = keyedBefore;
    if (mix.lookup() > 0) {
      requireEnoughNumbers(shape);
    }
    long keys = (long) shape.dictionaries() * shape.maxKeys();
    if ((mix.keyed() > 0 || keyedBefore > 0) && shape.distinctNumbers() < keys) {
      throw new IllegalArgumentException(
          "maxDigits: " + keys + " distinct keys need as many distinct numbers, got "
              + shape.distinctNumbers());
    }
    this.shape = shape;
    this.seed = seed;
    this.generator = new KvRetrievalGenerator(withSeed(shape, seed));
    this.mix = mix;
  }

  /**
   * Rejects key-value shapes whose gold key and value could not be kept unique in reasonable time:
   * the experiment spec's rule.
   *
   * @param shape the parameters
   * @throws IllegalArgumentException naming maxDigits, if there are too few distinct numbers
   */
  public static void requireEnoughNumbers(KvRetrievalData shape) {
    long needed = shape.numbersNeeded();
    if (shape.distinctNumbers() < needed) {
      throw new IllegalArgumentException(
          "maxDigits: too few distinct " + shape.minDigits() + "-" + shape.maxDigits()
              + " digit numbers (" + shape.distinctNumbers() + ") for " + shape.dictionaries()
              + " dictionaries; need " + needed);
    }
  }

  /** The sequence at one position of the endless stream. */
  @Override
  public TrainingSequence apply(long position) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, position));
    double pick = random.nextDouble() * (mix.copy() + mix.keyed() + mix.lookup());
    if (position < keyedBefore) {
      return keyedSequence(random); // the same draws as a keyed-only mix at this position
    }
    if (pick < mix.copy()) {
      return copySequence(random);
    }
    if (pick < mix.copy() + mix.keyed()) {
      return keyedSequence(random);
    }
    return lookupSequence(generator.example(position), random);
  }

  /** A line of random pieces and its repeat. */
  TrainingSequence copySequence(SplittableRandom random) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < mix.copyLength(); i++) {
      if (i % 2 == 0) {
        line.append(LETTER_PIECES.get(random.nextInt(LETTER_PIECES.size())));
      } else {
        line.append(SYMBOLS.charAt(random.nextInt(SYMBOLS.length())));
      }
    }
    return TrainingSequence.builder().context(line + "\n").target(line.toString()).build();
  }

  /** Dictionary lines, then short query lines with the key digits as context. */
  TrainingSequence keyedSequence(SplittableRandom random) {
    StringBuilder context = new StringBuilder();
    List<int[]> entries = new ArrayList<>(); // {key, value, dictionary}
    Set<Integer> usedKeys = new HashSet<>();
    int dictionaries = 1 + random.nextInt(shape.dictionaries());
    for (int d = 1; d <= dictionaries; d++) {
      int keys = shape.minKeys() + random.nextInt(shape.maxKeys() - shape.minKeys() + 1);
      context.append("Dictionary [").append(d).append("] {");
      for (int k = 0; k < keys; k++) {
        int key;
        do {
          key = number(random);
        } while (!usedKeys.add(key));
        int value = number(random);
        entries.add(new int[] {key, value, d});
        context.append(k > 0 ? ", " : "").append(key).append(": ").append(value);
      }
      context.append("}\n");
    }
    TrainingSequence.Builder sequence = TrainingSequence.builder().context(context.toString());
    int lines = Math.min(mix.queries(), entries.size());
    for (int i = 0; i < lines; i++) {
      int[] entry = entries.get(random.nextInt(entries.size())); // independent draws (class comment)
      sequence
          .context((i > 0 ? "\nkey " : "key ") + entry[0] + " is ")
          .target(Integer.toString(entry[1]))
          .context(" in [")
          .target(Integer.toString(entry[2]))
          .context("]");
    }
    return sequence.build();
  }

  /** A real prompt and answer, then extra answer lines for other unique keys. */
  TrainingSequence lookupSequence(KvExample example, SplittableRandom random) {
    TrainingSequence.Builder sequence =
        TrainingSequence.builder()
            .context(example.prompt() + TrainingExample.KV_SEPARATOR)
            .target(example.answer());
    List<int[]> unique = uniqueEntries(example.prompt()); // the gold key is one of them
    int lines = Math.min(mix.queries(), unique.size() - 1); // one per other unique key, as a bound
    for (int i = 0; i < lines; i++) {
      int[] entry = unique.get(random.nextInt(unique.size())); // {key, value, dictionary}
      sequence
          .target("\nThe value of key ")
          .context(Integer.toString(entry[0]))
          .target(" is " + entry[1] + " and it is in Dictionary [" + entry[2] + "].");
    }
    return sequence.build();
  }

  /** {key, value, dictionary} of every key that occurs once in the prompt, in prompt order. */
  static List<int[]> uniqueEntries(String prompt) {
    Map<Integer, int[]> byKey = new HashMap<>();
    Map<Integer, Integer> count = new HashMap<>();
    List<Integer> order = new ArrayList<>();
    Matcher dictionary = DICTIONARY.matcher(prompt);
    while (dictionary.find()) {
      int name = Integer.parseInt(dictionary.group(1));
      Matcher entry = ENTRY.matcher(dictionary.group(2));
      while (entry.find()) {
        int key = Integer.parseInt(entry.group(1));
        int value = Integer.parseInt(entry.group(2));
        if (count.merge(key, 1, Integer::sum) == 1) {
          order.add(key);
          byKey.put(key, new int[] {key, value, name});
        }
      }
    }
    List<int[]> unique = new ArrayList<>();
    for (int key : order) {
      if (count.get(key) == 1) {
        unique.add(byKey.get(key));
      }
    }
    return unique;
  }

  /** A number with a uniform digit count in [minDigits, maxDigits], uniform within that count. */
  private int number(SplittableRandom random) {
    int digits = shape.minDigits() + random.nextInt(shape.maxDigits() - shape.minDigits() + 1);
    int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
    int high = (int) Math.pow(10, digits);
    return low + random.nextInt(high - low);
  }

  private static List<String> letterPieces() {
    List<String> pieces = new ArrayList<>(SyntheticTokenizer.TEMPLATE_WORDS);
    for (char c = 'a'; c <= 'z'; c++) {
      pieces.add(String.valueOf(c));
      pieces.add(String.valueOf(Character.toUpperCase(c)));
    }
    return List.copyOf(pieces);
  }

  /** The parameters with another seed. */
  static KvRetrievalData withSeed(KvRetrievalData shape, long seed) {
    return new KvRetrievalData(
        shape.examples(), shape.dictionaries(), shape.goldKeys(), shape.minKeys(), shape.maxKeys(),
        shape.minDigits(), shape.maxDigits(), shape.answerTemplate(), seed,
        shape.examplesPerChunk());
  }

  /** A one-line description for checkpoints and logs. */
  public String describe() {
    return "InductionCurriculum(dictionaries=" + shape.dictionaries() + ", keys=" + shape.minKeys()
        + ".." + shape.maxKeys() + ", digits=" + shape.minDigits() + ".." + shape.maxDigits()
        + ", seed=" + seed + ", " + mix + (keyedBefore > 0 ? ", keyedBefore=" + keyedBefore : "") + ")";
  }
}
