package io.rhlab.activities.model;

/**
 * Text to token ids and back. The built-in {@link SyntheticTokenizer} serves the synthetic tasks;
 * {@link HfTokenizer} runs an imported checkpoint's tokenizer.json. {@link CheckpointTokenizer}
 * picks the one a checkpoint was made with. Close a tokenizer after use ({@link HfTokenizer} holds
 * native memory; closing the others does nothing).
 */
public interface TextTokenizer extends AutoCloseable {

  /**
   * Token ids of a text, without special tokens.
   *
   * @param text the text
   * @return its token ids
   * @throws IllegalArgumentException if the text holds something the vocabulary cannot express
   */
  int[] encode(String text);

  /**
   * The text of token ids; special tokens (bos, eos, pad) are dropped.
   *
   * @param ids token ids
   * @return the text
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  String decode(int[] ids);

  /** Number of token ids (the model's vocabSize must be at least this). */
  int vocabSize();

  /** Beginning-of-sequence id, or -1 if the tokenizer has none. */
  int bosId();

  /** End-of-sequence id, or -1 if the tokenizer has none. */
  int eosId();

  /** Padding id, or -1 if the tokenizer has none. */
  int padId();

  /** Frees what the tokenizer holds outside the Java heap; nothing by default. */
  @Override
  default void close() {}
}
