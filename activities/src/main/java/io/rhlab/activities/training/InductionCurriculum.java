package io.rhlab.activities.training;

import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.synthesis.KvExample;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic pre-training data that makes a from-scratch model form copy (induction) and lookup
 * heads before it is fine-tuned on single-question key-value retrieval. Every example is a pure
 * function of (seed, position). Two kinds, mixed by {@code copyFraction}:
 *
 * <ul>
 *   <li><b>Copy</b>: a line of random numbers, then the same line again; the loss is on the repeat.
 *       Continuing a repeated multi-digit sequence needs an induction head that matches the last
 *       few tokens, the same matching a key lookup needs.
 *   <li><b>Multi-query lookup</b>: a real key-value prompt from {@link KvRetrievalGenerator} (the
 *       project's generator, same format as the fine-tuning data), its real answer, and then up to
 *       {@code extraQueries} more answer lines {@code The value of key K is V and it is in
 *       Dictionary [D].} for other keys of the same prompt, each on a new line. The loss covers all
 *       answer lines. One prompt thus teaches several bindings, which is what a single-question
 *       example fails to do in a short run: with one lookup per ~180 tokens the model settles on
 *       "copy some value from the context" before it learns which one.
 * </ul>
 *
 * <p>Extra keys are keys that occur exactly once in the prompt (as a key), so every extra answer is
 * unambiguous; they are drawn without replacement, in random order.
 */
public final class InductionCurriculum implements LongFunction<TrainingExample> {

  private static final Pattern DICTIONARY = Pattern.compile("Dictionary \\[(\\d+)] \\{([^}]*)}");
  private static final Pattern ENTRY = Pattern.compile("(\\d+): (\\d+)");

  private static final String SYMBOLS = "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final List<String> LETTER_PIECES = letterPieces();

  private final KvRetrievalData shape;
  private final KvRetrievalGenerator generator;
  private final long seed;
  private final Mix mix;

  /**
   * How the kinds of example are mixed and sized.
   *
   * @param copy relative weight of copy examples, >= 0
   * @param ordered relative weight of ordered recall examples (the pairs repeated in order), >= 0
   * @param recall relative weight of compact recall examples, >= 0
   * @param keyed relative weight of compact lookup examples (dictionary lines, then short answer
   *     lines), >= 0
   * @param echo relative weight of compact lookup examples whose values equal their keys, >= 0
   * @param lookup relative weight of multi-query lookup examples, >= 0
   * @param copyNumbers numbers per copy line, >= 1
   * @param recallPairs key-value pairs per recall example, >= 1
   * @param extraQueries most extra answer lines per lookup example, >= 0
   */
  public record Mix(
      double copy,
      double ordered,
      double recall,
      double keyed,
      double echo,
      double lookup,
      int copyNumbers,
      int recallPairs,
      int extraQueries) {

    /** Validates the weights (not all zero) and sizes. */
    public Mix {
      for (double weight : new double[] {copy, ordered, recall, keyed, echo, lookup}) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          throw new IllegalArgumentException(
              "mix weights must be finite and >= 0, got copy=" + copy + ", ordered=" + ordered
                  + ", recall=" + recall + ", keyed=" + keyed + ", echo=" + echo + ", lookup="
                  + lookup);
        }
      }
      if (copy + ordered + recall + keyed + echo + lookup <= 0) {
        throw new IllegalArgumentException("mix weights must not all be 0");
      }
      if (copyNumbers < 1) {
        throw new IllegalArgumentException("copyNumbers must be >= 1, got " + copyNumbers);
      }
      if (recallPairs < 1) {
        throw new IllegalArgumentException("recallPairs must be >= 1, got " + recallPairs);
      }
      if (extraQueries < 0) {
        throw new IllegalArgumentException("extraQueries must be >= 0, got " + extraQueries);
      }
    }

    /** Only copy examples. */
    public static Mix copyOnly(int copyNumbers) {
      return new Mix(1, 0, 0, 0, 0, 0, copyNumbers, 1, 0);
    }

    /** Only ordered recall examples. */
    public static Mix orderedOnly(int recallPairs) {
      return new Mix(0, 1, 0, 0, 0, 0, 1, recallPairs, 0);
    }

    /** Only compact lookup examples with up to {@code queries} answer lines. */
    public static Mix keyedOnly(int queries) {
      return new Mix(0, 0, 0, 1, 0, 0, 1, 1, queries);
    }

    /** Only compact recall examples. */
    public static Mix recallOnly(int recallPairs) {
      return new Mix(0, 0, 1, 0, 0, 0, 1, recallPairs, 0);
    }

    /** Only multi-query lookup examples. */
    public static Mix lookupOnly(int extraQueries) {
      return new Mix(0, 0, 0, 0, 0, 1, 1, 1, extraQueries);
    }
  }

  /**
   * A curriculum.
   *
   * @param shape key-value prompt parameters (dictionaries, keys, digits, template); its {@code
   *     seed} is replaced by {@code seed}, and {@code examples} is ignored
   * @param seed the curriculum's seed
   * @param mix the kinds of example and their sizes
   * @throws IllegalArgumentException if the shape has too few distinct numbers for unique gold keys
   *     and values (fewer than {@code 4 * dictionaries * max(maxKeys, goldKeys)}), or for the
   *     recall pairs
   */
  public InductionCurriculum(KvRetrievalData shape, long seed, Mix mix) {
    if (mix.lookup() > 0) {
      requireEnoughNumbers(shape);
    }
    long keysNeeded = (long) shape.dictionaries() * shape.maxKeys();
    if (mix.keyed() > 0 && shape.distinctNumbers() < keysNeeded) {
      throw new IllegalArgumentException(
          "maxDigits: " + keysNeeded + " distinct keys need as many distinct numbers, got "
              + shape.distinctNumbers());
    }
    if (mix.recall() + mix.ordered() > 0 && shape.distinctNumbers() < 2L * mix.recallPairs()) {
      throw new IllegalArgumentException(
          "recallPairs: " + mix.recallPairs() + " distinct keys need more than "
              + shape.distinctNumbers() + " distinct numbers");
    }
    this.shape = shape;
    this.seed = seed;
    this.generator = new KvRetrievalGenerator(withSeed(shape, seed));
    this.mix = mix;
  }

  /**
   * Rejects key-value shapes whose gold key and value could not be kept unique in reasonable time:
   * the same rule as the experiment spec's validation.
   *
   * @param shape the parameters
   * @throws IllegalArgumentException naming maxDigits, if there are too few distinct numbers
   */
  public static void requireEnoughNumbers(KvRetrievalData shape) {
    long needed = 4L * shape.dictionaries() * Math.max(shape.maxKeys(), shape.goldKeys());
    if (shape.distinctNumbers() < needed) {
      throw new IllegalArgumentException(
          "maxDigits: too few distinct " + shape.minDigits() + "-" + shape.maxDigits()
              + " digit numbers (" + shape.distinctNumbers() + ") for " + shape.dictionaries()
              + " dictionaries; need " + needed);
    }
  }

  /** The example at one position of the endless stream. */
  @Override
  public TrainingExample apply(long position) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, position));
    double pick =
        random.nextDouble()
            * (mix.copy() + mix.ordered() + mix.recall() + mix.keyed() + mix.echo() + mix.lookup());
    if (pick < mix.copy()) {
      return copyExample(random);
    }
    if (pick < mix.copy() + mix.ordered()) {
      return recallExample(random, false);
    }
    if (pick < mix.copy() + mix.ordered() + mix.recall()) {
      return recallExample(random, true);
    }
    if (pick < mix.copy() + mix.ordered() + mix.recall() + mix.keyed()) {
      return keyedExample(random, false);
    }
    if (pick < mix.copy() + mix.ordered() + mix.recall() + mix.keyed() + mix.echo()) {
      return keyedExample(random, true);
    }
    return lookupExample(generator.example(position), random);
  }

  /**
   * A line of random pieces and its repeat. Pieces alternate between a letter piece (a template
   * word or a single letter) and a symbol (a digit or punctuation mark), so that with the synthetic
   * tokenizer every piece is one token from a vocabulary of about 150 and the next token after a
   * match is nearly always unambiguous: the easiest setting for an induction head to form.
   */
  TrainingExample copyExample(SplittableRandom random) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < mix.copyNumbers(); i++) {
      if (i % 2 == 0) {
        int pick = random.nextInt(LETTER_PIECES.size());
        line.append(LETTER_PIECES.get(pick));
      } else {
        line.append(SYMBOLS.charAt(random.nextInt(SYMBOLS.length())));
      }
    }
    return new TrainingExample(line + "\n", line.toString());
  }

  /**
   * Compact associative recall: {@code k1: v1, k2: v2, ...} with distinct keys, a newline, then
   * every pair again in a random order. Once a key is written its value is determined by the
   * context; the loss is on the whole second line.
   */
  TrainingExample recallExample(SplittableRandom random, boolean shuffled) {
    int pairs = mix.recallPairs();
    int[] keys = new int[pairs];
    int[] values = new int[pairs];
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int i = 0; i < pairs; i++) {
      int key;
      do {
        key = number(random);
      } while (!used.add(key));
      keys[i] = key;
      values[i] = number(random);
    }
    int[] order = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      order[i] = i;
    }
    for (int i = pairs - 1; i > 0 && shuffled; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    StringBuilder context = new StringBuilder();
    StringBuilder queries = new StringBuilder();
    for (int i = 0; i < pairs; i++) {
      String separator = i > 0 ? ", " : "";
      context.append(separator).append(keys[i]).append(": ").append(values[i]);
      queries.append(separator).append(keys[order[i]]).append(": ").append(values[order[i]]);
    }
    return new TrainingExample(context + "\n", queries.toString());
  }

  /** A number with a uniform digit count in [minDigits, maxDigits], uniform within that count. */
  private int number(SplittableRandom random) {
    int digits = shape.minDigits() + random.nextInt(shape.maxDigits() - shape.minDigits() + 1);
    int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
    int high = (int) Math.pow(10, digits);
    return low + random.nextInt(high - low);
  }

  /** A key-value prompt, its answer, and extra answer lines for other unique keys. */
  TrainingExample lookupExample(KvExample example, SplittableRandom random) {
    StringBuilder answer = new StringBuilder(example.answer());
    List<int[]> extras = uniqueEntries(example.prompt(), example.goldKey());
    for (int i = 0; i < mix.extraQueries() && !extras.isEmpty(); i++) {
      int[] entry = extras.remove(random.nextInt(extras.size())); // {key, value, dictionary}
      answer
          .append('\n')
          .append("The value of key ")
          .append(entry[0])
          .append(" is ")
          .append(entry[1])
          .append(" and it is in Dictionary [")
          .append(entry[2])
          .append("].");
    }
    return new TrainingExample(example.prompt() + TrainingExample.KV_SEPARATOR, answer.toString());
  }

  /**
   * Compact lookup: dictionary lines in the prompt's format ({@code Dictionary [d] {k: v, ...}},
   * with 1..{@code dictionaries} lines (uniform, so easy examples with few pairs are mixed with
   * hard ones) of minKeys..maxKeys entries and keys distinct across the example), then up to {@code extraQueries} short answer lines {@code key K is V in [D]}, one per
   * key, in random order. The answer keeps the real answer's spacing around the value ({@code key K
   * is V}), so the key digits sit at the same offsets before the value as in an entry {@code K: V};
   * a head that gathers "the key 3-4 tokens back" serves both sides of the match. Keys and values
   * are drawn here (not by the prompt generator), so one-digit keys are possible.
   */
  TrainingExample keyedExample(SplittableRandom random, boolean echo) {
    StringBuilder context = new StringBuilder();
    List<int[]> entries = new ArrayList<>();
    java.util.Set<Integer> usedKeys = new java.util.HashSet<>();
    int dictionaries = 1 + random.nextInt(shape.dictionaries());
    for (int d = 1; d <= dictionaries; d++) {
      int keys = shape.minKeys() + random.nextInt(shape.maxKeys() - shape.minKeys() + 1);
      context.append("Dictionary [").append(d).append("] {");
      for (int k = 0; k < keys; k++) {
        int key;
        do {
          key = number(random);
        } while (!usedKeys.add(key));
        int value = echo ? key : number(random);
        entries.add(new int[] {key, value, d});
        context.append(k > 0 ? ", " : "").append(key).append(": ").append(value);
      }
      context.append("}\n");
    }
    StringBuilder answer = new StringBuilder();
    for (int i = 0; i < mix.extraQueries() && !entries.isEmpty(); i++) {
      int[] entry = entries.remove(random.nextInt(entries.size())); // {key, value, dictionary}
      if (i > 0) {
        answer.append('\n');
      }
      answer.append("key ").append(entry[0]).append(" is ").append(entry[1]).append(" in [")
          .append(entry[2]).append(']');
    }
    return new TrainingExample(context.toString(), answer.toString());
  }

  /** {key, value, dictionary} of every key that occurs once in the prompt, except the gold key. */
  static List<int[]> uniqueEntries(String prompt, int goldKey) {
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
      if (key != goldKey && count.get(key) == 1) {
        unique.add(byKey.get(key));
      }
    }
    return unique;
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
    return "InductionCurriculum(dictionaries=" + shape.dictionaries() + ", keys=" + shape.goldKeys()
        + "/" + shape.minKeys() + ".." + shape.maxKeys() + ", digits=" + shape.minDigits() + ".."
        + shape.maxDigits() + ", template=" + shape.answerTemplate() + ", seed=" + seed
        + ", " + mix + ")";
  }
}
