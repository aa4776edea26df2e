package io.rhlab.activities.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.rhlab.activities.model.ForwardResult;
import io.rhlab.activities.model.GradMode;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.MaskedCrossEntropy;
import io.rhlab.activities.model.NamedParameter;
import io.rhlab.activities.model.NativeArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link LlamaModel} in place, one optimizer step at a time.
 *
 * <p>One {@link #step()}: zero the gradients; for each of {@code gradAccumulation} micro-batches
 * run forward and backward on {@code loss / gradAccumulation} (PyTorch accumulates gradients
 * across backward calls); clip to the global norm; one {@link AdamW} update at the scheduled
 * learning rate. The data cursor is the step count: the micro-batches of step s are {@code
 * data.batch(s, 0..gradAccumulation-1)}.
 *
 * <p>Memory and determinism (see the stack notes): every step works in its own sub-manager, closed
 * at the end, so native memory stays flat; token and mask arrays are copied into native memory
 * (not zero-copy views of Java buffers, whose contents would depend on garbage-collector timing);
 * the optimizer step is not wrapped in a scope that could free its lazily created state.
 *
 * <p>The trainer does not own the model; {@link #close()} frees the optimizer state only.
 */
public final class Trainer implements AutoCloseable {

  private final LlamaModel model;
  private final TrainingConfig config;
  private final BatchSource data;
  private final LrSchedule schedule;
  private final NDManager manager;
  private final AdamW optimizer;
  private long completedSteps;

  /**
   * A trainer at step 0 with fresh optimizer state.
   *
   * @param model the model to train (its parameters are updated in place)
   * @param config hyper-parameters
   * @param data batches; must have been built with the same batchSize and gradAccumulation
   */
  public Trainer(LlamaModel model, TrainingConfig config, BatchSource data) {
    this.model = model;
    this.config = config;
    this.data = data;
    this.schedule = new LrSchedule(config);
    this.manager = model.parameter(model.parameters().get(0).name()).getManager().newSubManager();
    this.optimizer = new AdamW(manager, config);
  }

  /**
   * One optimizer step.
   *
   * @return the step's metrics
   * @throws IllegalStateException if all steps of the configuration are done, or the loss or the
   *     gradient norm is not finite (the weights are then left as they were)
   */
  public StepMetrics step() {
    if (completedSteps >= config.steps()) {
      throw new IllegalStateException(
          "all " + config.steps() + " steps of the configuration are done");
    }
    long step = completedSteps;
    double learningRate = schedule.at(step);
    long started = System.nanoTime();
    List<NamedParameter> parameters = model.parameters();
    try (NDManager stepManager = manager.newSubManager()) {
      for (NamedParameter parameter : parameters) {
        JniUtils.zeroGrad((PtNDArray) parameter.array());
      }
      GradMode.offOnThisThread(); // this may not be the thread that started the engine
      double lossSum = 0;
      long tokens = 0;
      for (int micro = 0; micro < config.gradAccumulation(); micro++) {
        TokenBatch batch = data.batch(step, micro);
        tokens += batch.realTokens();
        try (NDManager microManager = stepManager.newSubManager()) {
          NDArray ids = nativeTokens(microManager, batch); // (B, T) int64
          NDArray mask = nativeMask(microManager, batch); // (B, T) float32
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ForwardResult result = model.forward(ids);
            NDArray loss = MaskedCrossEntropy.nextTokenLoss(result.logits(), ids, mask); // ()
            // a libtorch-owned scalar: backward reads the divisor again (see NativeArrays.scalar)
            collector.backward(loss.div(NativeArrays.scalar(microManager, config.gradAccumulation())));
            lossSum += loss.getFloat();
          }
        }
      }
      double loss = lossSum / config.gradAccumulation();
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      for (NamedParameter parameter : parameters) {
        NDArray gradient = parameter.array().getGradient();
        gradient.attach(stepManager);
        gradients.put(parameter.name(), gradient);
      }
      double gradNorm = AdamW.clip(gradients, config.clipNorm());
      if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
        throw new IllegalStateException(
            "step " + step + ": loss " + loss + ", gradient norm " + gradNorm
                + " is not finite; weights left unchanged");
      }
      optimizer.update(parameters, gradients, learningRate);
      completedSteps++;
      double seconds = (System.nanoTime() - started) / 1e9;
      return new StepMetrics(step, loss, learningRate, gradNorm, tokens / seconds);
    }
  }

  /** Steps taken so far, which is also the data cursor (the next step's index). */
  public long completedSteps() {
    return completedSteps;
  }

  /** Whether all steps of the configuration are done. */
  public boolean finished() {
    return completedSteps >= config.steps();
  }

  /** The configuration. */
  public TrainingConfig config() {
    return config;
  }

  /** The model being trained. */
  public LlamaModel model() {
    return model;
  }

  /** The batch source. */
  public BatchSource data() {
    return data;
  }

  /** The optimizer (its moments are what {@link TrainingCheckpoint} saves). */
  public AdamW optimizer() {
    return optimizer;
  }

  /** Puts the trainer at a saved step with saved optimizer state; for {@link TrainingCheckpoint}. */
  void restore(long steps, Map<String, NDArray> optimizerState, long optimizerUpdates) {
    if (steps < 0 || steps > config.steps()) {
      throw new IllegalArgumentException(
          "step must be in [0, " + config.steps() + "], got " + steps);
    }
    optimizer.restore(optimizerState, optimizerUpdates, model.parameters());
    completedSteps = steps;
  }

  /** Frees the optimizer state (not the model). */
  @Override
  public void close() {
    manager.close();
  }

  /** (B, T) int64 token ids copied into native memory. */
  static NDArray nativeTokens(NDManager manager, TokenBatch batch) {
    int rows = batch.batchSize();
    int length = batch.length();
    long[] flat = new long[rows * length];
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < length; t++) {
        flat[b * length + t] = batch.tokens()[b][t];
      }
    }
    return NativeArrays.longs(manager, flat, new Shape(rows, length));
  }

  /** (B, T) float32 target mask copied into native memory. */
  static NDArray nativeMask(NDManager manager, TokenBatch batch) {
    int rows = batch.batchSize();
    int length = batch.length();
    float[] flat = new float[rows * length];
    for (int b = 0; b < rows; b++) {
      System.arraycopy(batch.targetMask()[b], 0, flat, b * length, length);
    }
    return NativeArrays.floats(manager, flat, new Shape(rows, length));
  }
}
