package io.rhlab.activities.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.rhlab.activities.bench.TrainingThroughputBench;
import io.rhlab.activities.model.ForwardResult;
import io.rhlab.activities.model.GradMode;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.MaskedCrossEntropy;
import io.rhlab.activities.model.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step of the throughput benchmark's model goes: forward, loss, backward,
 * clipping and AdamW timed apart (CPU ops are synchronous, so wall time per phase is exact), mean
 * over the steps after the first two, with each step's tokens/s on stderr. The step is {@link
 * Trainer#step()}'s, taken apart: change one when the other changes. Not a test.
 *
 * <pre>
 * java -cp activities/target/classes:activities/target/test-classes:$(deps) \
 *     io.rhlab.activities.training.TrainingPhaseBench T [steps, default 12] [trace.json]
 * </pre>
 *
 * With a third argument, libtorch's profiler records the timed steps and writes a Chrome trace
 * there (per-op self times).
 */
public final class TrainingPhaseBench {

  private static final String[] PHASES = {"forward", "loss", "backward", "clip", "adamw"};

  private TrainingPhaseBench() {}

  public static void main(String[] args) throws Exception {
    int t = Integer.parseInt(args[0]);
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    String trace = args.length > 2 ? args[2] : null;
    TrainingConfig training = TrainingThroughputBench.training(t, steps);
    BatchSource data =
        new TrainingThroughputBench.RandomTokens(TrainingThroughputBench.BATCH, t + 1, TrainingThroughputBench.VOCAB);
    double[] nanos = new double[PHASES.length];
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingThroughputBench.model(t), 0, manager);
        AdamW optimizer = new AdamW(manager, training)) {
      List<NamedParameter> parameters = model.parameters();
      for (int s = 0; s < steps; s++) {
        if (s == 2 && trace != null) {
          JniUtils.startProfile(false, true, false);
        }
        long[] at = new long[PHASES.length + 1];
        try (NDManager stepManager = manager.newSubManager()) {
          for (NamedParameter parameter : parameters) {
            JniUtils.zeroGrad((PtNDArray) parameter.array());
          }
          GradMode.offOnThisThread();
          TokenBatch batch = data.batch(s, 0);
          NDArray ids = Trainer.nativeTokens(stepManager, batch);
          NDArray mask = Trainer.nativeMask(stepManager, batch);
          at[0] = System.nanoTime();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ForwardResult result = model.forward(ids);
            at[1] = System.nanoTime();
            NDArray loss = MaskedCrossEntropy.nextTokenLoss(result.logits(), ids, mask);
            loss.getFloat();
            at[2] = System.nanoTime();
            collector.backward(loss);
            at[3] = System.nanoTime();
          }
          Map<String, NDArray> gradients = new LinkedHashMap<>();
          for (NamedParameter parameter : parameters) {
            NDArray gradient = parameter.array().getGradient();
            gradient.attach(stepManager);
            gradients.put(parameter.name(), gradient);
          }
          AdamW.clip(gradients, training.clipNorm());
          at[4] = System.nanoTime();
          optimizer.update(parameters, gradients, training.learningRate());
          at[5] = System.nanoTime();
        }
        System.err.printf("step %d %.0f tokens/s%n", s, (double) TrainingThroughputBench.BATCH * t / ((at[5] - at[0]) / 1e9));
        if (s >= 2) {
          for (int p = 0; p < PHASES.length; p++) {
            nanos[p] += at[p + 1] - at[p];
          }
        }
      }
    }
    if (trace != null) {
      JniUtils.stopProfile(trace);
    }
    int timed = steps - 2;
    double total = 0;
    for (double n : nanos) {
      total += n;
    }
    for (int p = 0; p < PHASES.length; p++) {
      System.out.printf("%-9s %8.1f ms  %5.1f%%%n", PHASES[p], nanos[p] / 1e6 / timed, 100 * nanos[p] / total);
    }
    System.out.printf("step      %8.1f ms  %.0f tokens/s%n", total / 1e6 / timed,
        (double) TrainingThroughputBench.BATCH * t * timed / (total / 1e9));
  }
}
