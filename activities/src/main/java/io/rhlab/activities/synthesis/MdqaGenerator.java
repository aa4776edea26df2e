package io.rhlab.activities.synthesis;

import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.spec.MdqaData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Multi-document QA in the Lost-in-the-Middle prompt, built from real text:
 *
 * <pre>
 * Write a high-quality answer for the given question using only the provided search results (some
 * of which might be irrelevant).
 *
 * Document [1](Title: Climate change) ...
 * Document [2](Title: Question Time (Council)) ...
 *
 * Question: In which town does Draimoth keep the violin?
 * Answer:
 * </pre>
 *
 * <p>Documents are passages of distinct Europarl documents under their debate titles: the whole
 * sentences that fit documentTokens tokens, in order from a random start (long ones skipped). The gold document (at
 * goldPositions[i mod size], 1-based) has a natural-language {@link PlantedFact} inserted at a
 * random sentence boundary; no other document holds the answer. With two hops (MuSiQue-like) the
 * gold document says where a person was born and a second document, at a uniformly drawn other
 * position, names the mayor of that town; the question asks for the mayor of the person's birth
 * town, so the answer needs both.
 */
public final class MdqaGenerator implements ExampleGenerator {
  static final String HEAD =
      "Write a high-quality answer for the given question using only the provided search results"
          + " (some of which might be irrelevant).\n\n";
  private static final long STREAM = 0xA54FF53A5F1D36F1L;

  private final MdqaData spec;
  private final TextCorpus corpus;
  private final TextTokenizer tokenizer;

  public MdqaGenerator(MdqaData spec, TextCorpus corpus, TextTokenizer tokenizer) {
    if (spec.documents() > corpus.size()) {
      throw new IllegalArgumentException("documents: " + spec.documents() + " is more than the corpus holds (" + corpus.size() + ")");
    }
    this.spec = spec;
    this.corpus = corpus;
    this.tokenizer = tokenizer;
  }

  @Override
  public MdqaData spec() {
    return spec;
  }

  @Override
  public TaskExample example(long index) {
    return ExampleGenerator.firstOf(index, attempt -> draw(index, attempt));
  }

  private TaskExample draw(long index, int attempt) {
    SplittableRandom rnd = Entities.random(spec.seed(), index, STREAM + attempt * ExampleGenerator.ATTEMPT_STRIDE);
    int n = spec.documents();
    int gold = spec.goldPositions().get((int) Math.floorMod(index, (long) spec.goldPositions().size())) - 1;
    int bridge = -1;
    String question;
    String value;
    String goldFact;
    String bridgeFact = null;
    if (spec.hops() == 1) {
      PlantedFact fact = PlantedFact.draw("fact", rnd);
      goldFact = fact.needle();
      question = fact.question();
      value = fact.value();
    } else {
      bridge = rnd.nextInt(n - 1);
      if (bridge >= gold) {
        bridge++;
      }
      String person = Entities.person(rnd);
      String town = Entities.word(rnd);
      value = Entities.person(rnd);
      goldFact = person + " was born in the town of " + town + ".";
      bridgeFact = "The mayor of " + town + " is " + value + ".";
      question = "Who is the mayor of the town where " + person + " was born?";
    }

    Set<Integer> used = new HashSet<>();
    StringBuilder prompt = new StringBuilder(HEAD);
    for (int d = 0; d < n; d++) {
      String planted = d == gold ? goldFact : d == bridge ? bridgeFact : null;
      TextCorpus.Document doc;
      String passage;
      do { // distinct documents, each with at least one sentence that fits
        int pick;
        do {
          pick = rnd.nextInt(corpus.size());
        } while (!used.add(pick));
        doc = corpus.document(pick);
        passage = passage(doc, planted, rnd);
      } while (passage.isEmpty() && used.size() < corpus.size());
      prompt.append("Document [").append(d + 1).append("](Title: ").append(title(doc.title())).append(") ")
          .append(passage).append('\n');
    }
    prompt.append("\nQuestion: ").append(question).append("\nAnswer:");
    String text = prompt.toString();
    if (text.indexOf(value) != text.lastIndexOf(value)) {
      return null; // a document happened to hold the answer text
    }
    TreeMap<String, Object> attributes = new TreeMap<>();
    attributes.put("documents", n);
    attributes.put("gold_position", gold + 1);
    attributes.put("hops", spec.hops());
    if (bridge >= 0) {
      attributes.put("bridge_position", bridge + 1);
    }
    return new TaskExample(MdqaData.TASK, index, text, " " + value, List.of(value), List.of(value), attributes);
  }

  /**
   * A title of at most {@link #TITLE_WORDS} words: some Europarl "titles" are whole paragraphs,
   * which would blow any prompt budget (documentTokens bounds the passage only).
   */
  static String title(String title) {
    String[] words = title.strip().split("\\s+");
    return words.length <= TITLE_WORDS ? title.strip()
        : String.join(" ", java.util.Arrays.copyOf(words, TITLE_WORDS)) + " ...";
  }

  static final int TITLE_WORDS = 12;

  /**
   * Whole sentences of the document, at most documentTokens tokens including the planted sentence
   * (which goes to a uniformly drawn sentence boundary); only the planted sentence when nothing
   * else fits, empty when nothing fits in a document without one.
   */
  private String passage(TextCorpus.Document doc, String planted, SplittableRandom rnd) {
    List<String> sentences = TextCorpus.sentences(doc.text());
    if (sentences.isEmpty()) {
      sentences = List.of(doc.text());
    }
    int budget = spec.documentTokens() - (planted == null ? 0 : tokenizer.encode(planted).length + 1);
    // from a random sentence on, in order and wrapping round once, every sentence that still fits
    int start = rnd.nextInt(sentences.size());
    List<String> kept = new ArrayList<>();
    int used = 0;
    for (int k = 0; k < sentences.size(); k++) {
      String sentence = sentences.get((start + k) % sentences.size());
      int t = tokenizer.encode(sentence).length + (kept.isEmpty() ? 0 : 1);
      if (used + t <= budget) {
        kept.add(sentence);
        used += t;
      }
    }
    if (planted != null) {
      kept.add(rnd.nextInt(kept.size() + 1), planted);
    }
    return String.join(" ", kept);
  }
}
