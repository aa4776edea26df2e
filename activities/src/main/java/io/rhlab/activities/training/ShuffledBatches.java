package io.rhlab.activities.training;

import io.rhlab.activities.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches over a fixed list of examples, in a fresh seeded permutation every epoch.
 *
 * <p>Example slot {@code p = (step * gradAccumulation + microStep) * batchSize + row} is example
 * {@code perm(p / N)[p % N]} of N, where {@code perm(e)} is a Fisher-Yates shuffle drawn from a
 * generator seeded by (seed, e). Every batch is therefore a pure function of (seed, step,
 * microStep), and an epoch boundary may fall inside a batch.
 *
 * <p>All examples are tokenized once, on construction, so one that exceeds {@code seqLen} is
 * reported before training starts.
 */
public final class ShuffledBatches implements BatchSource {

  private final List<SequenceEncoder.Row> rows;
  private final SequenceEncoder encoder;
  private final int batchSize;
  private final int gradAccumulation;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cachedPermutation;

  /**
   * Batches over examples with the batch size, accumulation, length limit and seed of a config.
   *
   * @param examples the training set, at least one example
   * @param tokenizer the model's tokenizer
   * @param config supplies batchSize, gradAccumulation, seqLen and seed
   * @throws IllegalArgumentException naming the example, if one is longer than seqLen tokens
   */
  public ShuffledBatches(List<TrainingExample> examples, TextTokenizer tokenizer, TrainingConfig config) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("examples must not be empty");
    }
    this.encoder = new SequenceEncoder(tokenizer, config.seqLen());
    this.rows = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      rows.add(encoder.encode(examples.get(i), "example " + i));
    }
    this.batchSize = config.batchSize();
    this.gradAccumulation = config.gradAccumulation();
    this.seed = config.seed();
  }

  @Override
  public synchronized TokenBatch batch(long step, int microStep) {
    List<SequenceEncoder.Row> picked = new ArrayList<>(batchSize);
    long first = (step * gradAccumulation + microStep) * batchSize;
    for (int b = 0; b < batchSize; b++) {
      picked.add(rows.get(indexAt(first + b)));
    }
    return encoder.pack(picked);
  }

  /** The example index at one slot of the shuffled stream. */
  int indexAt(long slot) {
    long epoch = slot / rows.size();
    if (epoch != cachedEpoch) {
      cachedPermutation = permutation(seed, epoch, rows.size());
      cachedEpoch = epoch;
    }
    return cachedPermutation[(int) (slot % rows.size())];
  }

  /** Number of examples. */
  public int size() {
    return rows.size();
  }

  @Override
  public String describe() {
    return "shuffled(examples=" + rows.size() + ", batchSize=" + batchSize + ", gradAccumulation="
        + gradAccumulation + ", seed=" + seed + ")";
  }

  /** Fisher-Yates shuffle of 0..n-1 seeded by (seed, epoch). */
  static int[] permutation(long seed, long epoch, int n) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
