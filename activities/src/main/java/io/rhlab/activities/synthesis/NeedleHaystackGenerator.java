package io.rhlab.activities.synthesis;

import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.spec.NeedleData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * RULER-style needle-in-a-haystack prompts (single, multi-key, multi-value, multi-query) asked the
 * way Wu et al. 2024 ask:
 *
 * <pre>
 * ...haystack... One of the special magic numbers for quiet-harbor is: 4817204. ...haystack...
 *
 * Based on the content of the book, Question: What is the special magic number for quiet-harbor
 * mentioned in the provided text?
 * Answer:
 * </pre>
 *
 * <p>Example i sits in grid cell i mod (lengths x depths): context length contextLengths[cell /
 * depths], depth depths[cell mod depths]. The asked needle (for multi-value and multi-query, the
 * first asked one) goes to the sentence boundary nearest that depth; the other needles go to depths
 * drawn uniformly. Keys are distinct adjective-noun pairs, values distinct 7-digit numbers, and every
 * value occurs exactly once in the prompt (as text, not only as a number). Prompt plus answer take at
 * most the cell's context length in tokens of the given tokenizer.
 */
public final class NeedleHaystackGenerator implements ExampleGenerator {
  static final String ASK = "\n\nBased on the content of the book, Question: ";
  static final String END = "\nAnswer:";
  private static final long STREAM = 0x1F83D9ABFB41BD6BL;
  private static final int VALUE_DIGITS = 7;

  private final NeedleData spec;
  private final TextCorpus corpus;
  private final TextTokenizer tokenizer;

  public NeedleHaystackGenerator(NeedleData spec, TextCorpus corpus, TextTokenizer tokenizer) {
    this.spec = spec;
    this.corpus = corpus;
    this.tokenizer = tokenizer;
  }

  @Override
  public NeedleData spec() {
    return spec;
  }

  @Override
  public TaskExample example(long index) {
    return ExampleGenerator.firstOf(index, attempt -> draw(index, attempt));
  }

  /** One draw; null when a value happened to occur in the haystack too. */
  private TaskExample draw(long index, int attempt) {
    SplittableRandom rnd = Entities.random(spec.seed(), index, STREAM + attempt * ExampleGenerator.ATTEMPT_STRIDE);
    int cell = (int) Math.floorMod(index, (long) spec.cells());
    int length = spec.contextLengths().get(cell / spec.depths().size());
    int depth = spec.depths().get(cell % spec.depths().size());
    String kind = spec.kind();
    int n = spec.needles();

    // keys: one for single and multi-value, n distinct for multi-key and multi-query
    int keyCount = kind.equals("multi-key") || kind.equals("multi-query") ? n : 1;
    List<String> keys = distinct(rnd, keyCount, () -> Entities.key(rnd));
    List<String> values = distinct(rnd, n, () -> Entities.number(rnd, VALUE_DIGITS));
    List<Haystack.Placement> placements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = keys.get(keyCount == 1 ? 0 : i);
      String needle = "One of the special magic numbers for " + key + " is: " + values.get(i) + ".";
      placements.add(new Haystack.Placement(i == 0 ? depth / 100.0 : rnd.nextDouble(), needle));
    }
    // asked: needle 0 (single, multi-key), all values of key 0 (multi-value), every key (multi-query)
    List<Integer> askedIndices = switch (kind) {
      case "single", "multi-key" -> List.of(0);
      default -> range(n);
    };
    String question;
    if (askedIndices.size() == 1) {
      question = "What is the special magic number for " + keys.get(0) + " mentioned in the provided text?";
    } else if (kind.equals("multi-value")) {
      question = "What are all the special magic numbers for " + keys.get(0) + " mentioned in the provided text?";
    } else {
      question = "What are all the special magic numbers for " + joinAnd(keys) + " mentioned in the provided text?";
    }
    List<String> asked = askedIndices.stream().map(values::get).toList();

    // the answer's length does not depend on the order of its values (all have VALUE_DIGITS digits)
    String provisional = " " + String.join(", ", asked);
    String prompt = Haystack.fill(
        budget -> spec.haystack().equals("noise")
            ? Haystack.noise(tokenizer, budget)
            : Haystack.text(corpus, rnd, tokenizer, budget),
        h -> h.withNeedles(placements) + ASK + question + END,
        p -> tokenizer.encode(p).length + tokenizer.encode(provisional).length,
        length, "contextLengths");
    for (String v : values) {
      if (prompt.indexOf(v) != prompt.lastIndexOf(v)) {
        return null; // the haystack happened to hold the number

      }
    }
    // multi-value: the values in the order they appear; multi-query: in the order the keys are asked
    List<String> answers = kind.equals("multi-value")
        ? asked.stream().sorted(java.util.Comparator.comparingInt(prompt::indexOf)).toList()
        : asked;
    String answer = " " + String.join(", ", answers);
    TreeMap<String, Object> attributes = new TreeMap<>();
    attributes.put("kind", kind);
    attributes.put("haystack", spec.haystack());
    attributes.put("context_length", length);
    attributes.put("depth_percent", depth);
    attributes.put("needles", n);
    attributes.put("scoring", answers.size() == 1 ? "any" : "all");
    return new TaskExample(NeedleData.TASK, index, prompt, answer, answers, answers, attributes);
  }

  static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  /** "a, b and c". */
  static String joinAnd(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  static List<String> distinct(SplittableRandom rnd, int n, java.util.function.Supplier<String> draw) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>(n);
    while (out.size() < n) {
      String s = draw.get();
      if (seen.add(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
