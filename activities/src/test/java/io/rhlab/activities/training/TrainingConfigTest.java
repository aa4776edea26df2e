package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {

  private static String error(Runnable build) {
    return assertThrows(IllegalArgumentException.class, build::run).getMessage();
  }

  @Test
  void constructor_namesTheField() {
    assertEquals(
        "steps must be >= 1, got 0",
        error(() -> new TrainingConfig(0, 8, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "batchSize must be >= 1, got 0",
        error(() -> new TrainingConfig(10, 0, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "gradAccumulation must be >= 1, got 0",
        error(() -> new TrainingConfig(10, 8, 0, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "learningRate must be a finite number > 0, got NaN",
        error(() -> new TrainingConfig(10, 8, 1, Double.NaN, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "warmupSteps must be <= steps (10), got 11",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 11, 0.1, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "minLrRatio must be in [0.0, 1.0], got 1.5",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 1.5, 0, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "weightDecay must be a finite number >= 0, got -0.1",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, -0.1, 0.9, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "beta1 must be in [0, 1), got 1.0",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, 0, 1.0, 0.95, 1e-8, 1, 64, 1)));
    assertEquals(
        "beta2 must be in [0, 1), got -0.5",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, 0, 0.9, -0.5, 1e-8, 1, 64, 1)));
    assertEquals(
        "eps must be a finite number > 0, got 0.0",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 0, 1, 64, 1)));
    assertEquals(
        "clipNorm must be a finite number >= 0 (0 disables clipping), got -1.0",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, -1, 64, 1)));
    assertEquals(
        "seqLen must be >= 2, got 1",
        error(() -> new TrainingConfig(10, 8, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, 1, 1)));
  }

  @Test
  void defaults_warmupIsFivePercent() {
    TrainingConfig config = TrainingConfig.defaults(200, 16, 1e-3, 256, 7);
    assertEquals(10, config.warmupSteps());
    assertEquals(16, config.examplesPerStep());
    assertEquals(1, TrainingConfig.defaults(5, 1, 1e-3, 256, 7).warmupSteps());
  }
}
