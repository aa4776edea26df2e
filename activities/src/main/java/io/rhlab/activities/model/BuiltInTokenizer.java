package io.rhlab.activities.model;

/**
 * The tokenizer of models trained from scratch on the embedded default: the synthetic vocabulary
 * with the template words and the most frequent words of the real-text corpus, so key-value,
 * needle and multi-document prompts are all short enough for a small model. One place, because a
 * model's embedding size is this vocabulary's size.
 */
public final class BuiltInTokenizer {
  private static final SyntheticTokenizer INSTANCE = SyntheticTokenizer.withCorpusWords();

  private BuiltInTokenizer() {}

  public static SyntheticTokenizer get() {
    return INSTANCE;
  }
}
