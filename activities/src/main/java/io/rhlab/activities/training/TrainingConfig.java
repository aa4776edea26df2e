package io.rhlab.activities.training;

/**
 * Hyper-parameters of one training run. Immutable, validated on construction, and stored in every
 * {@link TrainingCheckpoint} so that a resumed run continues with exactly the same settings.
 *
 * @param steps optimizer steps in the whole run (the learning-rate schedule ends here)
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches whose gradients are averaged into one optimizer step
 * @param learningRate peak learning rate, reached at the end of warm-up
 * @param warmupSteps steps of linear warm-up from {@code learningRate / warmupSteps} to the peak
 * @param minLrRatio floor of the cosine decay as a fraction of the peak, in [0, 1]
 * @param weightDecay decoupled (AdamW) weight decay; not applied to norm gains or embeddings
 * @param beta1 Adam first-moment decay, in [0, 1)
 * @param beta2 Adam second-moment decay, in [0, 1)
 * @param eps Adam denominator epsilon, > 0
 * @param clipNorm global gradient-norm bound; 0 disables clipping
 * @param seqLen most tokens of one example (bos + prompt + answer + eos); longer examples are
 *     rejected when the data is built, never truncated, because cutting a key-value prompt can cut
 *     out the dictionary that holds the answer
 * @param seed seed of the data order (the model's initialisation has its own seed)
 */
public record TrainingConfig(
    int steps,
    int batchSize,
    int gradAccumulation,
    double learningRate,
    int warmupSteps,
    double minLrRatio,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    double clipNorm,
    int seqLen,
    long seed) {

  /** Validates every field; the message names the field and its allowed range. */
  public TrainingConfig {
    requireAtLeast("steps", steps, 1);
    requireAtLeast("batchSize", batchSize, 1);
    requireAtLeast("gradAccumulation", gradAccumulation, 1);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be a finite number > 0, got " + learningRate);
    }
    requireAtLeast("warmupSteps", warmupSteps, 0);
    if (warmupSteps > steps) {
      throw new IllegalArgumentException(
          "warmupSteps must be <= steps (" + steps + "), got " + warmupSteps);
    }
    requireInClosed("minLrRatio", minLrRatio, 0, 1);
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weightDecay must be a finite number >= 0, got " + weightDecay);
    }
    requireInHalfOpen("beta1", beta1);
    requireInHalfOpen("beta2", beta2);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "clipNorm must be a finite number >= 0 (0 disables clipping), got " + clipNorm);
    }
    requireAtLeast("seqLen", seqLen, 2);
  }

  /**
   * Common settings for small models trained from scratch: AdamW (0.9, 0.95, 1e-8), weight decay
   * 0.01, clipping at 1.0, warm-up over 5% of the steps, cosine to 10% of the peak.
   *
   * @param steps optimizer steps
   * @param batchSize examples per micro-batch
   * @param learningRate peak learning rate
   * @param seqLen most tokens per example
   * @param seed data-order seed
   * @return the configuration (no gradient accumulation)
   */
  public static TrainingConfig defaults(
      int steps, int batchSize, double learningRate, int seqLen, long seed) {
    return new TrainingConfig(
        steps, batchSize, 1, learningRate, Math.max(1, steps / 20), 0.1, 0.01, 0.9, 0.95, 1e-8,
        1.0, seqLen, seed);
  }

  /** A copy with a different number of steps (warm-up kept, clamped to the new length). */
  public TrainingConfig withSteps(int newSteps) {
    return new TrainingConfig(
        newSteps, batchSize, gradAccumulation, learningRate, Math.min(warmupSteps, newSteps),
        minLrRatio, weightDecay, beta1, beta2, eps, clipNorm, seqLen, seed);
  }

  /** Examples consumed by one optimizer step: {@code batchSize * gradAccumulation}. */
  public int examplesPerStep() {
    return batchSize * gradAccumulation;
  }

  private static void requireAtLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
  }

  private static void requireInClosed(String field, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw new IllegalArgumentException(
          field + " must be in [" + lo + ", " + hi + "], got " + value);
    }
  }

  private static void requireInHalfOpen(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
    }
  }
}
