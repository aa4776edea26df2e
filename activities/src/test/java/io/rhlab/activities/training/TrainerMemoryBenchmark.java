package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that native memory stays flat over a training run: prints the process's resident set
 * (VmRSS from /proc/self/status) every 250 steps of a small model and fails if it grows by more
 * than {@link #BOUND_MB} over the second half of the run. The first few hundred steps are warm-up:
 * rows of the mixed curriculum vary in length, and the allocators keep blocks for each new shape
 * (measured: 322 MB at step 1, 669 MB at step 750, 640 MB at step 2,000; bench/RESULTS.md). A
 * main rather than a unit test because RSS is noisy on a shared machine and the run takes minutes.
 *
 * <pre>
 * java -cp activities/target/classes:activities/target/test-classes:$(deps) \
 *     io.rhlab.activities.training.TrainerMemoryBenchmark [steps, default 2000]
 * </pre>
 */
public final class TrainerMemoryBenchmark {

  /** Allowed RSS growth over the second half of the run. */
  static final long BOUND_MB = 16;

  private TrainerMemoryBenchmark() {}

  public static void main(String[] args) throws IOException {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    KvRetrievalData shape = new KvRetrievalData(1, 3, 2, 2, 3, 2, 2, false, 1, 1000);
    InductionCurriculum curriculum =
        new InductionCurriculum(shape, 5, new InductionCurriculum.Mix(1, 1, 1, 24, 4));
    ModelConfig config = new ModelConfig(TrainingFixtures.TOKENIZER.vocabSize(), 64, 2, 4, 4, 176, 10000.0, 512, true, 1e-5);
    TrainingConfig training = TrainingConfig.defaults(steps, 8, 1e-3, 512, 3);
    long atHalf = 0;
    long last = 0;
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(config, 1, manager);
        Trainer trainer =
            new Trainer(model, training, new GeneratedBatches(curriculum, curriculum.describe(), TrainingFixtures.TOKENIZER, training))) {
      while (!trainer.finished()) {
        StepMetrics metrics = trainer.step();
        long done = metrics.step() + 1;
        if (done == 1 || done % 250 == 0 || done == steps / 2 || done == steps) {
          long rss = rssKb() / 1024;
          System.out.printf("step %d loss %.3f rss %d MB%n", done, metrics.loss(), rss);
          if (done == steps / 2) {
            atHalf = rss;
          }
          last = rss;
        }
      }
    }
    long growth = last - atHalf;
    System.out.printf("RSS growth from step %d to step %d: %d MB (bound %d MB)%n", steps / 2, steps, growth, BOUND_MB);
    if (growth > BOUND_MB) {
      throw new AssertionError("native memory grew by " + growth + " MB");
    }
  }

  /** VmRSS of this process in kB. */
  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
