package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final int STEPS = 8;

  /** Batch 4, two micro-batches per step (exercises gradient accumulation), peak lr 3e-3. */
  private static TrainingConfig config() {
    return new TrainingConfig(STEPS, 4, 2, 3e-3, 2, 0.1, 0.01, 0.9, 0.95, 1e-8, 1.0, 160, 11);
  }

  private static ShuffledBatches data(TrainingConfig config) {
    return new ShuffledBatches(TrainingFixtures.kvExamples(24, 5), TrainingFixtures.TOKENIZER, config);
  }

  /** Trains a fresh model for n steps; returns its weights and moments, and the losses. */
  private static Result train(int steps) {
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 3, manager);
        Trainer trainer = new Trainer(model, config(), data(config()))) {
      List<Double> losses = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        losses.add(trainer.step().loss());
      }
      return new Result(
          TrainingFixtures.weights(model), TrainingFixtures.moments(trainer.optimizer()), losses);
    }
  }

  private record Result(Map<String, float[]> weights, Map<String, float[]> moments, List<Double> losses) {}

  @Test
  void step_twoFreshRunsAreBitwiseEqual() {
    Result first = train(STEPS);
    Result second = train(STEPS);
    assertEquals(first.losses(), second.losses(), "losses by step");
    assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(first.weights(), second.weights()));
    assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(first.moments(), second.moments()));
    assertEquals(first.losses(), second.losses());
    // And training did something: the loss fell.
    assertTrue(
        first.losses().get(STEPS - 1) < first.losses().get(0) - 0.5,
        "loss should fall: " + first.losses());
  }

  @Test
  void checkpoint_resumeIsBitwiseEqualToAnUninterruptedRun(@TempDir Path directory) throws Exception {
    Result straight = train(STEPS);
    int half = STEPS / 2;
    try (NDManager manager = NDManager.newBaseManager()) {
      try (LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 3, manager);
          Trainer trainer = new Trainer(model, config(), data(config()))) {
        List<Double> firstHalf = new java.util.ArrayList<>();
        for (int i = 0; i < half; i++) {
          firstHalf.add(trainer.step().loss());
        }
        assertEquals(straight.losses().subList(0, half), firstHalf, "losses before the checkpoint");
        Map<String, float[]> saved = TrainingFixtures.weights(model);
        TrainingCheckpoint.write(directory, trainer);
        try (LlamaModel reloaded = io.rhlab.activities.model.LlamaCheckpoint.load(directory, manager)) {
          assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(saved, TrainingFixtures.weights(reloaded)),
              "weights read back");
        }
      }
      TrainingCheckpoint.State state = TrainingCheckpoint.readState(directory);
      assertEquals(half, state.step());
      assertEquals(half, state.optimizerUpdates());
      assertEquals(config(), state.config());
      try (TrainingCheckpoint.Restored restored =
          TrainingCheckpoint.read(directory, manager, TrainerTest::data)) {
        Trainer trainer = restored.trainer();
        assertEquals(half, trainer.completedSteps());
        List<Double> resumedLosses = new java.util.ArrayList<>();
        while (!trainer.finished()) {
          resumedLosses.add(trainer.step().loss());
        }
        assertEquals(straight.losses().subList(half, STEPS), resumedLosses, "losses after the resume");
        Map<String, float[]> weights = TrainingFixtures.weights(restored.model());
        Map<String, float[]> moments = TrainingFixtures.moments(trainer.optimizer());
        assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(straight.weights(), weights));
        assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(straight.moments(), moments));
        assertEquals(0.0, TrainingFixtures.maxAbsDifference(straight.weights(), weights));
      }
    }
  }

  @Test
  void checkpoint_layout(@TempDir Path directory) throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 3, manager);
        Trainer trainer = new Trainer(model, config(), data(config()))) {
      trainer.step();
      TrainingCheckpoint.write(directory, trainer);
      for (String file :
          List.of("config.json", "model.safetensors", "optimizer.safetensors", "trainer_state.json")) {
        assertTrue(directory.resolve(file).toFile().isFile(), file);
      }
      try (var optimizer =
          io.rhlab.activities.model.SafetensorsFile.open(directory.resolve("optimizer.safetensors"))) {
        assertTrue(optimizer.contains("exp_avg.model.embed_tokens.weight"));
        assertTrue(optimizer.contains("exp_avg_sq.model.layers.1.mlp.down_proj.weight"));
        assertEquals(2 * model.parameters().size(), optimizer.names().size());
        assertEquals("1", optimizer.metadata().get("updates"));
      }
    }
  }

  /**
   * libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread that
   * starts the engine. A Temporal activity may train on any worker thread, where the optimizer's
   * in-place update then failed ("a leaf Variable that requires grad is being used in an in-place
   * operation").
   */
  @Test
  void step_onAnotherThreadThanTheEngineStarted_equalsTheSameStepHere() throws Exception {
    Result here = train(1); // the engine is started on this thread at the latest now
    Result[] there = new Result[1];
    Throwable[] failure = new Throwable[1];
    Thread thread = new Thread(() -> {
      try {
        there[0] = train(1);
      } catch (Throwable t) {
        failure[0] = t;
      }
    });
    thread.start();
    thread.join();
    if (failure[0] != null) {
      throw new AssertionError("training on a new thread failed", failure[0]);
    }
    assertEquals(List.of(), TrainingFixtures.bitwiseDifferences(here.weights(), there[0].weights()));
  }

  @Test
  void step_pastTheLastStepFails() {
    TrainingConfig one = config().withSteps(1);
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(TrainingFixtures.tinyModel(), 3, manager);
        Trainer trainer = new Trainer(model, one, data(one))) {
      StepMetrics metrics = trainer.step();
      assertEquals(0, metrics.step());
      assertNotEquals(0.0, metrics.gradNorm());
      assertTrue(metrics.tokensPerSecond() > 0);
      IllegalStateException e = assertThrows(IllegalStateException.class, trainer::step);
      assertEquals("all 1 steps of the configuration are done", e.getMessage());
    }
  }
}
