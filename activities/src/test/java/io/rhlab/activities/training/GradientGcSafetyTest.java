package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.MaskedCrossEntropy;
import io.rhlab.activities.model.NamedParameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on garbage collection between forward and backward. DJL turns a Java
 * scalar operand ({@code x.mul(0.5)}, {@code x.pow(-0.5)}) into a tensor that is a zero-copy view
 * of a JVM direct buffer; autograd keeps that tensor for the backward pass, but the buffer is freed
 * when the collector reclaims it, and the backward then reads whatever reuses the memory.
 */
class GradientGcSafetyTest {

  private static Map<String, float[]> gradients(boolean collectGarbageBeforeBackward) {
    TrainingConfig config = new TrainingConfig(1, 4, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 0, 160, 3);
    TokenBatch batch =
        new ShuffledBatches(TrainingFixtures.kvExamples(8, 2), TrainingFixtures.TOKENIZER, config)
            .batch(0, 0);
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 5, manager)) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray ids = Trainer.nativeTokens(scope, batch);
        NDArray mask = Trainer.nativeMask(scope, batch);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss = MaskedCrossEntropy.nextTokenLoss(model.forward(ids).logits(), ids, mask);
          if (collectGarbageBeforeBackward) {
            scribbleOverFreedDirectMemory();
          }
          collector.backward(loss);
        }
      }
      Map<String, float[]> values = new java.util.LinkedHashMap<>();
      for (NamedParameter p : model.parameters()) {
        try (NDArray gradient = p.array().getGradient()) {
          values.put(p.name(), gradient.toFloatArray());
        }
      }
      return values;
    }
  }

  /** Frees unreachable direct buffers, then allocates many small ones filled with NaN. */
  private static void scribbleOverFreedDirectMemory() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ByteBuffer> keep = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(4 << (i % 4)).order(ByteOrder.nativeOrder());
      while (buffer.remaining() >= 4) {
        buffer.putFloat(Float.NaN);
      }
      keep.add(buffer);
    }
    keep.clear();
  }

  @Test
  void backward_afterGarbageCollectionGivesTheSameGradients() {
    Map<String, float[]> quiet = gradients(false);
    Map<String, float[]> collected = gradients(true);
    assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(quiet, collected));
  }
}
