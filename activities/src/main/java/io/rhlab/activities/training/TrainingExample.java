package io.rhlab.activities.training;

import io.rhlab.activities.synthesis.KvExample;

/**
 * One supervised example: the model reads {@code prompt} and learns to continue it with {@code
 * answer}. The two texts are tokenized separately and joined with no separator (put any separator
 * at the end of the prompt); the sequence is {@code [bos] prompt answer [eos]} and the loss is taken
 * on the answer tokens and the eos only.
 *
 * @param prompt the context, no loss
 * @param answer the target continuation, non-empty
 */
public record TrainingExample(String prompt, String answer) {

  /** Separator between a key-value prompt and its answer (the answer starts on a new line). */
  public static final String KV_SEPARATOR = "\n";

  /** Rejects a null text or an empty answer. */
  public TrainingExample {
    if (prompt == null) {
      throw new IllegalArgumentException("prompt must not be null");
    }
    if (answer == null || answer.isEmpty()) {
      throw new IllegalArgumentException("answer must not be empty");
    }
  }

  /** The two segments: the prompt as context, the answer as target. */
  public TrainingSequence toSequence() {
    return TrainingSequence.builder().context(prompt).target(answer).build();
  }

  /**
   * The training form of a key-value retrieval example: its prompt plus {@link #KV_SEPARATOR}, and
   * its answer. {@link KvEvaluator} prompts the model with the same text.
   *
   * @param example a generated key-value retrieval example
   * @return the training example
   */
  public static TrainingExample of(KvExample example) {
    return new TrainingExample(example.prompt() + KV_SEPARATOR, example.answer());
  }

  /**
   * The training form of an example of any task. Key-value prompts end with the question, so a
   * {@link #KV_SEPARATOR} starts the answer on a new line as in the paper; the other tasks' prompts
   * end with "Answer:" and their answers bring their own leading space.
   *
   * @param example a stored example
   * @return the training example
   */
  public static TrainingExample of(io.rhlab.activities.synthesis.TaskExample example) {
    boolean keyValue = example.task().startsWith("kv-");
    return new TrainingExample(example.prompt() + (keyValue ? KV_SEPARATOR : ""), example.answer());
  }
}
