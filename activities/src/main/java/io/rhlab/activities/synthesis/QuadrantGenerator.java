package io.rhlab.activities.synthesis;

import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.workflows.spec.QuadrantData;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One needle in a haystack, on the two axes of Zhao, Yin and Durrett 2024: the needle's realism
 * ({@link PlantedFact}: fact, relation or symbolic) and the haystack's diversity (varied: runs of
 * real sentences from random documents; repetitive: three real sentences repeated). Asked the way Wu
 * et al. ask:
 *
 * <pre>
 * ...haystack... Draimoth keeps the violin in the town of Brouvas. ...
 *
 * Based on the content of the book, Question: In which town does Draimoth keep the violin?
 * Answer: Brouvas
 * </pre>
 *
 * <p>The needle's depth is drawn uniformly from the integers 0..100 (percent of the haystack); the
 * answer value occurs once in the prompt. Prompt plus answer take at most contextLength tokens.
 */
public final class QuadrantGenerator implements ExampleGenerator {
  static final String ASK = "\n\nBased on the content of the book, Question: ";
  static final String END = "\nAnswer:";
  private static final long STREAM = 0x3C6EF372FE94F82BL;

  private final QuadrantData spec;
  private final TextCorpus corpus;
  private final TextTokenizer tokenizer;

  public QuadrantGenerator(QuadrantData spec, TextCorpus corpus, TextTokenizer tokenizer) {
    this.spec = spec;
    this.corpus = corpus;
    this.tokenizer = tokenizer;
  }

  @Override
  public QuadrantData spec() {
    return spec;
  }

  @Override
  public TaskExample example(long index) {
    return ExampleGenerator.firstOf(index, attempt -> draw(index, attempt));
  }

  private TaskExample draw(long index, int attempt) {
    SplittableRandom rnd = Entities.random(spec.seed(), index, STREAM + attempt * ExampleGenerator.ATTEMPT_STRIDE);
    PlantedFact fact = PlantedFact.draw(spec.realism(), rnd);
    int depth = rnd.nextInt(101);
    String answer = " " + fact.value();
    int length = spec.contextLength();
    List<Haystack.Placement> needle = List.of(new Haystack.Placement(depth / 100.0, fact.needle()));
    String prompt = Haystack.fill(
        budget -> spec.diversity().equals("repetitive")
            ? Haystack.repetitive(corpus, rnd, tokenizer, budget)
            : Haystack.text(corpus, rnd, tokenizer, budget),
        h -> h.withNeedles(needle) + ASK + fact.question() + END,
        p -> tokenizer.encode(p).length + tokenizer.encode(answer).length,
        length, "contextLength");
    // the value must occur once: in the needle (the question names the key, not the value)
    if (prompt.indexOf(fact.value()) != prompt.lastIndexOf(fact.value())) {
      return null;
    }
    TreeMap<String, Object> attributes = new TreeMap<>();
    attributes.put("realism", spec.realism());
    attributes.put("diversity", spec.diversity());
    attributes.put("quadrant", spec.realism() + "/" + spec.diversity());
    attributes.put("context_length", length);
    attributes.put("depth_percent", depth);
    return new TaskExample(QuadrantData.TASK, index, prompt, answer, List.of(fact.value()), List.of(fact.value()), attributes);
  }
}
