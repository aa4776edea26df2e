package io.rhlab.activities.synthesis;

import io.rhlab.activities.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Filler text measured in tokens, and needles placed in it by depth. Sentences are counted one by
 * one and joined with single spaces, so building a haystack of L tokens costs O(L); a prompt is
 * then checked once against the budget with the real tokenizer (whose counts need not add up for
 * every tokenizer) and shortened from the end until it fits.
 */
final class Haystack {
  /** Filler of RULER's noise haystack (from the passkey retrieval test), repeated. */
  static final List<String> NOISE =
      List.of("The grass is green.", "The sky is blue.", "The sun is yellow.", "Here we go.", "There and back again.");

  /** Sentences repeated in a low-diversity haystack. */
  static final int REPETITIVE_DISTINCT = 3;

  private final List<String> sentences;
  private final int[] tokens;

  private Haystack(List<String> sentences, int[] tokens) {
    this.sentences = sentences;
    this.tokens = tokens;
  }

  /** Real text: runs of sentences, in order, from randomly drawn documents, up to the budget. */
  static Haystack text(TextCorpus corpus, SplittableRandom rnd, TextTokenizer tokenizer, int budget) {
    Builder b = new Builder(tokenizer, budget);
    while (!b.full()) {
      List<String> doc = TextCorpus.sentences(corpus.randomDocument(rnd).text());
      for (int i = 0; i < doc.size() && !b.full(); i++) {
        b.add(doc.get(i));
      }
    }
    return b.build();
  }

  /** Low diversity: {@value #REPETITIVE_DISTINCT} real sentences drawn once, repeated in order. */
  static Haystack repetitive(TextCorpus corpus, SplittableRandom rnd, TextTokenizer tokenizer, int budget) {
    List<String> pool = new ArrayList<>();
    while (pool.size() < REPETITIVE_DISTINCT) {
      List<String> doc = TextCorpus.sentences(corpus.randomDocument(rnd).text());
      if (!doc.isEmpty()) {
        String s = doc.get(rnd.nextInt(doc.size()));
        if (!pool.contains(s)) {
          pool.add(s);
        }
      }
    }
    return cycle(pool, tokenizer, budget);
  }

  /** RULER's noise filler repeated. */
  static Haystack noise(TextTokenizer tokenizer, int budget) {
    return cycle(NOISE, tokenizer, budget);
  }

  private static Haystack cycle(List<String> pool, TextTokenizer tokenizer, int budget) {
    Builder b = new Builder(tokenizer, budget);
    for (int i = 0; !b.full(); i++) {
      b.add(pool.get(i % pool.size()));
    }
    return b.build();
  }

  int size() {
    return sentences.size();
  }

  /** The first n sentences. */
  Haystack prefix(int n) {
    return new Haystack(sentences.subList(0, n), Arrays.copyOf(tokens, n));
  }

  /** A needle and where it goes: a fraction of the haystack's tokens (0 = before everything). */
  record Placement(double depth, String needle) {}

  /**
   * The haystack with each needle inserted at the sentence boundary closest to its depth; needles
   * at the same boundary keep their order.
   */
  String withNeedles(List<Placement> placements) {
    long[] at = new long[sentences.size() + 1]; // token position of each boundary
    for (int i = 0; i < sentences.size(); i++) {
      at[i + 1] = at[i] + tokens[i] + 1;
    }
    int[] boundary = new int[placements.size()];
    for (int p = 0; p < placements.size(); p++) {
      boundary[p] = nearest(at, placements.get(p).depth() * at[sentences.size()]);
    }
    Integer[] order = new Integer[placements.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> boundary[i]).thenComparingInt(i -> i));
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int s = 0; s <= sentences.size(); s++) {
      while (next < order.length && boundary[order[next]] == s) {
        append(out, placements.get(order[next++]).needle());
      }
      if (s < sentences.size()) {
        append(out, sentences.get(s));
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, String piece) {
    if (out.length() > 0) {
      out.append(' ');
    }
    out.append(piece);
  }

  private static int nearest(long[] at, double target) {
    int best = 0;
    for (int i = 1; i < at.length; i++) {
      if (Math.abs(at[i] - target) < Math.abs(at[best] - target)) {
        best = i;
      }
    }
    return best;
  }

  private static final Haystack EMPTY = new Haystack(List.of(), new int[0]);

  /**
   * A prompt around a haystack of {@code budget} tokens less the prompt's fixed parts (measured on
   * an empty haystack), shortened by {@link #fit} if the tokenizer's counts do not add up.
   *
   * @param make a haystack of at most the given tokens
   * @throws IllegalArgumentException naming {@code field} when the fixed parts alone pass the budget
   */
  static <T> T fill(java.util.function.IntFunction<Haystack> make, Function<Haystack, T> build,
      java.util.function.ToIntFunction<T> cost, int budget, String field) {
    int fixed = cost.applyAsInt(build.apply(EMPTY));
    if (fixed > budget) {
      throw new IllegalArgumentException(field + ": " + budget + " tokens cannot hold the prompt's fixed parts ("
          + fixed + " tokens without any haystack); raise it");
    }
    return make.apply(budget - fixed).fit(build, cost, budget, field);
  }

  /**
   * Builds a prompt from a haystack and shortens the haystack from the end until the prompt plus its
   * answer fit the budget.
   *
   * @param build the prompt (and answer) from a haystack
   * @param cost tokens of what {@code build} returned
   * @throws IllegalArgumentException naming {@code field} when even an empty haystack does not fit
   */
  <T> T fit(Function<Haystack, T> build, java.util.function.ToIntFunction<T> cost, int budget, String field) {
    int n = sentences.size();
    while (true) {
      Haystack h = n == sentences.size() ? this : prefix(n);
      T built = build.apply(h);
      int over = cost.applyAsInt(built) - budget;
      if (over <= 0) {
        return built;
      }
      if (n == 0) {
        throw new IllegalArgumentException(field + ": " + budget + " tokens cannot hold the prompt's fixed parts ("
            + (budget + over) + " tokens without any haystack); raise it");
      }
      while (n > 0 && over > 0) {
        n--;
        over -= tokens[n] + 1;
      }
    }
  }

  /** Sentences in a row that may fail to fit before a haystack counts as full. */
  static final int MAX_MISSES = 32;

  /** Collects sentences with their token counts, skipping those that would pass the budget. */
  private static final class Builder {
    private final TextTokenizer tokenizer;
    private final int budget;
    private final List<String> sentences = new ArrayList<>();
    private int[] tokens = new int[64];
    private long used;
    private int misses;
    private boolean full;

    Builder(TextTokenizer tokenizer, int budget) {
      this.tokenizer = tokenizer;
      this.budget = budget;
      this.full = budget <= 0;
    }

    boolean full() {
      return full;
    }

    void add(String sentence) {
      int n = tokenizer.encode(sentence).length;
      long after = used + n + (sentences.isEmpty() ? 0 : 1);
      if (after > budget) {
        // a shorter sentence may still fit; give up after a run of misses
        full = ++misses >= MAX_MISSES;
        return;
      }
      misses = 0;
      if (sentences.size() == tokens.length) {
        tokens = Arrays.copyOf(tokens, tokens.length * 2);
      }
      tokens[sentences.size()] = n;
      sentences.add(sentence);
      used = after;
    }

    Haystack build() {
      return new Haystack(List.copyOf(sentences), Arrays.copyOf(tokens, sentences.size()));
    }
  }
}
