package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A worker trains on whatever thread Temporal's activity pool hands it, usually not the thread that
 * first loaded the engine. libtorch's grad mode is thread-local and on by default on a new thread;
 * DJL turns it off only on the loading thread. A step on another thread must still work (found by
 * the training chaos suite: a worker's second experiment failed every attempt with "a leaf
 * Variable that requires grad is being used in an in-place operation").
 */
class TrainerThreadTest {
  private static final TrainingConfig CONFIG =
      new TrainingConfig(2, 2, 1, 3e-3, 1, 0.1, 0.01, 0.9, 0.95, 1e-8, 1.0, 160, 11);

  private static List<Double> train() {
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 3, manager);
        Trainer trainer = new Trainer(model, CONFIG,
            new ShuffledBatches(TrainingFixtures.kvExamples(8, 5), TrainingFixtures.TOKENIZER, CONFIG))) {
      List<Double> losses = new ArrayList<>();
      for (int i = 0; i < CONFIG.steps(); i++) {
        losses.add(trainer.step().loss());
      }
      return losses;
    }
  }

  @Test
  void step_onAThreadOtherThanTheEngineLoader_trainsLikeOnTheLoader() throws Exception {
    Engine.getInstance(); // loaded here, on the test thread
    List<Double> here = train();
    AtomicReference<Object> there = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        there.set(train());
      } catch (RuntimeException e) {
        there.set(e);
      }
    });
    other.start();
    other.join();
    assertEquals(here, there.get(), "the same two steps on a fresh thread");
  }
}
