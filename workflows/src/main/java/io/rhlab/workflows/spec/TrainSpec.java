package io.rhlab.workflows.spec;

/**
 * How to train: optimizer, schedule and checkpointing. The same section serves pre-training of a
 * base model and fine-tuning of a variant.
 *
 * @param steps optimizer steps
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per optimizer step
 * @param learningRate peak learning rate (AdamW)
 * @param warmupSteps linear warm-up steps, then cosine decay
 * @param minLrRatio the cosine floor as a fraction of the peak
 * @param weightDecay decoupled weight decay
 * @param clipNorm global gradient-norm clip; 0 disables it
 * @param seqLen longest example in tokens
 * @param checkpointEvery steps between checkpoints (the unit of resume)
 * @param evalExamples held-out examples for the accuracy evaluation after training
 * @param seed initialisation and data-order seed
 */
public record TrainSpec(
    int steps,
    int batchSize,
    int gradAccumulation,
    double learningRate,
    int warmupSteps,
    double minLrRatio,
    double weightDecay,
    double clipNorm,
    int seqLen,
    int checkpointEvery,
    int evalExamples,
    long seed) {

  static TrainSpec read(SpecReader r, TrainSpec defaults) {
    int steps = r.integer("steps", defaults.steps, 1, 10_000_000);
    int batch = r.integer("batchSize", defaults.batchSize, 1, 4096);
    int accumulation = r.integer("gradAccumulation", defaults.gradAccumulation, 1, 1024);
    double lr = r.number("learningRate", defaults.learningRate, 1e-9, 1.0);
    int warmup = r.integer("warmupSteps", Math.min(defaults.warmupSteps, steps), 0, 10_000_000);
    double floor = r.number("minLrRatio", defaults.minLrRatio, 0, 1);
    double decay = r.number("weightDecay", defaults.weightDecay, 0, 1);
    double clip = r.number("clipNorm", defaults.clipNorm, 0, 1e6);
    int seqLen = r.integer("seqLen", defaults.seqLen, 8, 131_072);
    int every = r.integer("checkpointEvery", defaults.checkpointEvery, 1, 10_000_000);
    int eval = r.integer("evalExamples", defaults.evalExamples, 0, 100_000);
    long seed = r.longValue("seed", defaults.seed, Long.MIN_VALUE, Long.MAX_VALUE);
    if (warmup > steps) {
      r.error("warmupSteps", "must not exceed steps (" + steps + ")");
    }
    // one micro-batch of token ids, logits and activations must fit a worker
    if ((long) batch * seqLen > 4L << 20) {
      r.error("batchSize", "batchSize x seqLen must stay under 4,194,304 tokens per micro-batch");
    }
    return new TrainSpec(steps, batch, accumulation, lr, warmup, floor, decay, clip, seqLen, every, eval, seed);
  }
}
