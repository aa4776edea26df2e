package io.rhlab.activities.analysis;

import io.rhlab.activities.model.DecodeResult;
import io.rhlab.activities.model.GreedyDecoder;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.TextTokenizer;
import java.util.HashSet;
import java.util.Set;

/**
 * Greedy generation as the analyses use it: up to {@code maxNewTokens} tokens, stopping at the end
 * of the first line (any token whose text contains a newline) or at the tokenizer's end-of-sequence
 * token, as the retrieval-head reference stops at a newline.
 */
public final class PromptRunner {

  /** Most tokens a run may generate. */
  public static final int MAX_NEW_TOKENS_LIMIT = 4096;

  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final GreedyDecoder decoder;
  private final int maxNewTokens;
  private final Set<Integer> stopTokens;

  /**
   * A runner.
   *
   * @param model the model
   * @param tokenizer its tokenizer (vocabulary no larger than the model's)
   * @param maxNewTokens 1..{@link #MAX_NEW_TOKENS_LIMIT}
   */
  public PromptRunner(LlamaModel model, TextTokenizer tokenizer, int maxNewTokens) {
    this(model, tokenizer, maxNewTokens, 0);
  }

  /**
   * A runner that prefills long prompts in chunks (see {@link GreedyDecoder}), bounding the
   * attention logits held at once for long-context grids.
   *
   * @param model the model
   * @param tokenizer its tokenizer (vocabulary no larger than the model's)
   * @param maxNewTokens 1..{@link #MAX_NEW_TOKENS_LIMIT}
   * @param prefillChunk positions per prefill forward, or 0 for the whole prompt at once
   */
  public PromptRunner(
      LlamaModel model, TextTokenizer tokenizer, int maxNewTokens, int prefillChunk) {
    if (maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "maxNewTokens must be in [1, " + MAX_NEW_TOKENS_LIMIT + "], got " + maxNewTokens);
    }
    if (tokenizer.vocabSize() > model.config().vocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer vocabSize " + tokenizer.vocabSize() + " exceeds the model's "
              + model.config().vocabSize());
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.decoder = new GreedyDecoder(model, prefillChunk);
    this.maxNewTokens = maxNewTokens;
    this.stopTokens = stopTokens(tokenizer);
  }

  /** Ids that end a generation: every id whose text contains a newline, and end-of-sequence. */
  static Set<Integer> stopTokens(TextTokenizer tokenizer) {
    Set<Integer> stops = new HashSet<>();
    for (int id = 0; id < tokenizer.vocabSize(); id++) {
      if (tokenizer.decode(new int[] {id}).indexOf('\n') >= 0) {
        stops.add(id);
      }
    }
    if (tokenizer.eosId() >= 0) {
      stops.add(tokenizer.eosId());
    }
    return Set.copyOf(stops);
  }

  /** The model this runner decodes with. */
  public LlamaModel model() {
    return model;
  }

  /** The tokenizer of the model. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** Most tokens a run generates. */
  public int maxNewTokens() {
    return maxNewTokens;
  }

  /**
   * Generates from a prompt.
   *
   * @param prompt token ids
   * @param instrumentation masks, patches or argmax recording; null for none
   * @return the generation
   */
  public Generation run(int[] prompt, Instrumentation instrumentation) {
    DecodeResult result = decoder.decode(prompt, maxNewTokens, stopTokens, instrumentation);
    return new Generation(
        result.tokens(), tokenizer.decode(result.tokens()).strip(), result.argmaxPerStep());
  }

  /**
   * Whether the model answers a prompt correctly under an instrumentation (string match).
   *
   * @param prompt the prompt and its answers
   * @param instrumentation masks or patches; null for none
   * @return true if an acceptable answer occurs in the generated text
   */
  public boolean answers(TaskPrompt prompt, Instrumentation instrumentation) {
    return StringMatch.containsAny(run(prompt.tokens(), instrumentation).text(), prompt.answers());
  }

  /** Accuracy on a set of prompts under one instrumentation. */
  public Accuracy accuracy(Iterable<TaskPrompt> prompts, Instrumentation instrumentation) {
    Accuracy accuracy = new Accuracy(0, 0);
    for (TaskPrompt prompt : prompts) {
      accuracy = accuracy.plus(answers(prompt, instrumentation));
    }
    return accuracy;
  }
}
