package io.rhlab.activities.training;

import io.rhlab.activities.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Batches from an endless generator of training sequences: slot {@code p = (step * gradAccumulation +
 * microStep) * batchSize + row} holds {@code generator.apply(p)}. The generator must be a pure
 * function of p (see {@link InductionCurriculum}), so batches are a pure function of the step.
 */
public final class GeneratedBatches implements BatchSource {

  private final LongFunction<TrainingSequence> generator;
  private final String name;
  private final SequenceEncoder encoder;
  private final int batchSize;
  private final int gradAccumulation;

  /**
   * Batches from a generator.
   *
   * @param generator slot to example; deterministic
   * @param name how {@link #describe()} names the generator (e.g. its parameters)
   * @param tokenizer the model's tokenizer
   * @param config supplies batchSize, gradAccumulation and seqLen (the seed is the generator's)
   */
  public GeneratedBatches(
      LongFunction<TrainingSequence> generator, String name, TextTokenizer tokenizer,
      TrainingConfig config) {
    this.generator = generator;
    this.name = name;
    this.encoder = new SequenceEncoder(tokenizer, config.seqLen());
    this.batchSize = config.batchSize();
    this.gradAccumulation = config.gradAccumulation();
  }

  @Override
  public TokenBatch batch(long step, int microStep) {
    List<SequenceEncoder.Row> rows = new ArrayList<>(batchSize);
    long first = (step * gradAccumulation + microStep) * batchSize;
    for (int b = 0; b < batchSize; b++) {
      rows.add(encoder.encode(generator.apply(first + b), "generated example " + (first + b)));
    }
    return encoder.pack(rows);
  }

  @Override
  public String describe() {
    return "generated(" + name + ", batchSize=" + batchSize + ", gradAccumulation="
        + gradAccumulation + ")";
  }
}
