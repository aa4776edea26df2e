package io.rhlab.activities.bench;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.activities.training.BatchSource;
import io.rhlab.activities.training.StepMetrics;
import io.rhlab.activities.training.TokenBatch;
import io.rhlab.activities.training.Trainer;
import io.rhlab.activities.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The DJL side of bench/train-throughput.sh: trains the benchmark model (d=256, 4 layers, 8 heads,
 * SwiGLU 768, vocab 512, tied head) on random tokens with AdamW at batch 8 and sequence length T,
 * and prints one JSON line like bench/pytorch_llama.py does (the median and every timed step's
 * rate). Not a test: run it through the script.
 *
 * <p>Usage: {@code TrainingThroughputBench T [steps] [warmup]}
 */
public final class TrainingThroughputBench {
  /** Sequences per batch. */
  public static final int BATCH = 8;

  /** Vocabulary size of the benchmark model. */
  public static final int VOCAB = 512;

  private TrainingThroughputBench() {}

  /** The benchmark model for sequence length t (rows of t + 1 tokens). */
  public static ModelConfig model(int t) {
    return new ModelConfig(VOCAB, 256, 4, 8, 8, 768, 10_000, t + 1, true, 1e-5);
  }

  /** AdamW as in the PyTorch peer: lr 1e-3, betas 0.9/0.95, weight decay 0.01, clip 1.0. */
  public static TrainingConfig training(int t, int steps) {
    return new TrainingConfig(steps, BATCH, 1, 1e-3, 0, 1.0, 0.01, 0.9, 0.95, 1e-8, 1.0, t + 1, 1);
  }

  public static void main(String[] args) throws Exception {
    int t = Integer.parseInt(args[0]);
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ModelConfig config = model(t);
    TrainingConfig training = training(t, warmup + steps);
    BatchSource random = new RandomTokens(BATCH, t + 1, VOCAB);
    List<Double> rates = new ArrayList<>();
    double loss = 0;
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(config, 0, manager);
        Trainer trainer = new Trainer(model, training, random)) {
      for (int s = 0; s < warmup + steps; s++) {
        StepMetrics m = trainer.step();
        loss = m.loss();
        if (s >= warmup) {
          // tokens/s over every position that gets a loss, as the PyTorch peer counts them
          rates.add(m.tokensPerSecond() * t / (t + 1));
        }
      }
    }
    double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    String perStep = rates.stream().map(r -> String.format("%.1f", r)).collect(Collectors.joining(", "));
    System.out.printf("{\"impl\": \"djl\", \"T\": %d, \"tokens_per_s\": %.1f, \"rates\": [%s], \"peak_rss_mb\": %.1f, \"loss\": %.4f}%n",
        t, median, perStep, peakRssMb(), loss);
  }

  /** VmHWM: the process's peak resident set, native memory included. */
  static double peakRssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  /** Uniform random token ids with every position in the loss, reproducible by step. */
  public record RandomTokens(int batch, int length, int vocab) implements BatchSource {
    @Override
    public TokenBatch batch(long step, int microStep) {
      SplittableRandom rnd = new SplittableRandom(step * 31 + microStep);
      int[][] tokens = new int[batch][length];
      float[][] mask = new float[batch][length];
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < length; i++) {
          tokens[b][i] = rnd.nextInt(vocab);
        }
        Arrays.fill(mask[b], 1f);
        mask[b][0] = 0f; // the first token is never a target
      }
      return new TokenBatch(tokens, mask, batch * length, batch * (length - 1));
    }

    @Override
    public String describe() {
      return "random tokens";
    }
  }
}
