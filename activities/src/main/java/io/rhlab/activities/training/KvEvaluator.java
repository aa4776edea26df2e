package io.rhlab.activities.training;

import io.rhlab.activities.model.DecodeResult;
import io.rhlab.activities.model.GreedyDecoder;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.activities.synthesis.KvExample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Greedy-decodes answers to held-out key-value retrieval examples and scores them.
 *
 * <p>The model reads {@code [bos] prompt "\n"} (the same text it was trained on, see {@link
 * TrainingExample#of(KvExample)}) and generates with a key/value cache until eos, a newline, or
 * {@code maxNewTokens}. Scores per example:
 *
 * <ul>
 *   <li><b>exact</b>: the generated text equals the gold answer;
 *   <li><b>value</b>: the text starts {@code The value of key <digits> is <V>} with V the gold value
 *       (the value in the answer's value slot, whatever follows);
 *   <li><b>dictionary</b>: the text holds {@code Dictionary [<D>]} with D the gold dictionary.
 * </ul>
 *
 * <p>Chance level: a model that has learned the answer format but not the binding picks one of the
 * prompt's values; the chance of picking the gold one is 1 / (values in the prompt). The evaluation
 * reports the mean of that over the examples.
 */
public final class KvEvaluator {

  private static final Pattern VALUE_SLOT = Pattern.compile("^The value of key \\d+ is (\\d+)(?!\\d)");
  private static final Pattern DICTIONARY_SLOT = Pattern.compile("Dictionary \\[(\\d+)]");
  private static final Pattern ENTRY = Pattern.compile("\\d+: \\d+");

  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final int maxNewTokens;
  private final Set<Integer> stopTokens = new HashSet<>();

  /**
   * An evaluator.
   *
   * @param model the model
   * @param tokenizer its tokenizer
   * @param maxNewTokens most tokens generated per example (a gold answer is about 30 tokens with
   *     the synthetic tokenizer and 1-4 digit numbers)
   */
  public KvEvaluator(LlamaModel model, TextTokenizer tokenizer, int maxNewTokens) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.maxNewTokens = maxNewTokens;
    if (tokenizer.eosId() >= 0) {
      stopTokens.add(tokenizer.eosId());
    }
    int[] newline = tokenizer.encode("\n");
    if (newline.length == 1) {
      stopTokens.add(newline[0]);
    }
  }

  /** One scored example. */
  public record Scored(KvExample example, String generated, boolean exact, boolean value, boolean dictionary) {}

  /**
   * Scores of a set of examples.
   *
   * @param examples number of examples
   * @param exactAccuracy share whose generated answer equals the gold answer
   * @param valueAccuracy share with the gold value in the value slot
   * @param dictionaryAccuracy share naming the gold dictionary
   * @param chanceLevel mean over examples of 1 / (values in the prompt)
   * @param scored every example with its generation
   */
  public record Result(
      int examples,
      double exactAccuracy,
      double valueAccuracy,
      double dictionaryAccuracy,
      double chanceLevel,
      List<Scored> scored) {

    /** A one-line summary. */
    public String summary() {
      return String.format(
          "examples=%d exact=%.3f value=%.3f dictionary=%.3f chance=%.3f",
          examples, exactAccuracy, valueAccuracy, dictionaryAccuracy, chanceLevel);
    }
  }

  /**
   * Generates and scores an answer for each example.
   *
   * @param examples held-out examples (not in the training set)
   * @return the scores
   */
  public Result evaluate(List<KvExample> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("examples must not be empty");
    }
    List<Scored> scored = new ArrayList<>();
    int exact = 0;
    int value = 0;
    int dictionary = 0;
    double chance = 0;
    for (KvExample example : examples) {
      Scored s = score(example, generate(example));
      scored.add(s);
      exact += s.exact() ? 1 : 0;
      value += s.value() ? 1 : 0;
      dictionary += s.dictionary() ? 1 : 0;
      chance += chanceLevel(example.prompt());
    }
    int n = examples.size();
    return new Result(n, (double) exact / n, (double) value / n, (double) dictionary / n, chance / n, scored);
  }

  /** The model's greedy answer to one example, without the stop token. */
  public String generate(KvExample example) {
    int[] prompt = tokenizer.encode(TrainingExample.of(example).prompt());
    int bos = tokenizer.bosId() >= 0 ? 1 : 0;
    int[] input = new int[bos + prompt.length];
    if (bos == 1) {
      input[0] = tokenizer.bosId();
    }
    System.arraycopy(prompt, 0, input, bos, prompt.length);
    DecodeResult result = new GreedyDecoder(model).decode(input, maxNewTokens, stopTokens, null);
    int[] tokens = result.tokens();
    int keep = result.stopped() ? tokens.length - 1 : tokens.length;
    int[] answer = new int[keep];
    System.arraycopy(tokens, 0, answer, 0, keep);
    return tokenizer.decode(answer);
  }

  /**
   * Scores one generated answer.
   *
   * @param example the example with its gold answer, value and dictionary
   * @param generated the generated text (without the stop token)
   * @return the scores
   */
  public static Scored score(KvExample example, String generated) {
    boolean exact = generated.equals(example.answer());
    Matcher valueSlot = VALUE_SLOT.matcher(generated);
    boolean value = valueSlot.find() && valueSlot.group(1).equals(Integer.toString(example.goldValue()));
    Matcher dictionarySlot = DICTIONARY_SLOT.matcher(generated);
    boolean dictionary =
        dictionarySlot.find()
            && dictionarySlot.group(1).equals(Integer.toString(example.goldDictionary()));
    return new Scored(example, generated, exact, value, dictionary);
  }

  /**
   * The chance of naming the gold value by picking one of the prompt's values at random.
   *
   * @param prompt a key-value prompt
   * @return 1 / (number of {@code key: value} entries)
   */
  public static double chanceLevel(String prompt) {
    Matcher entry = ENTRY.matcher(prompt);
    int count = 0;
    while (entry.find()) {
      count++;
    }
    return count == 0 ? 0 : 1.0 / count;
  }
}
