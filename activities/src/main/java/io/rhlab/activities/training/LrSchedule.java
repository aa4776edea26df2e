package io.rhlab.activities.training;

/**
 * Learning rate as a pure function of the step: linear warm-up, then cosine decay to a floor.
 *
 * <pre>
 * step &lt; W:   lr * (step + 1) / W
 * otherwise:  floor + (lr - floor) * (1 + cos(pi * p)) / 2,  p = (step - W) / max(1, S - W)
 * </pre>
 *
 * where W is warmupSteps, S is steps, floor = minLrRatio * lr and step counts from 0 (the first
 * optimizer step uses {@code lr(0)}). Steps past the end stay at the floor.
 */
public final class LrSchedule {

  private final double peak;
  private final double floor;
  private final int warmupSteps;
  private final int steps;

  /**
   * The schedule of a configuration.
   *
   * @param config the run's configuration
   */
  public LrSchedule(TrainingConfig config) {
    this(config.learningRate(), config.minLrRatio(), config.warmupSteps(), config.steps());
  }

  /**
   * A schedule from its four numbers.
   *
   * @param peak learning rate at the end of warm-up
   * @param minLrRatio floor as a fraction of {@code peak}
   * @param warmupSteps steps of linear warm-up (0 for none)
   * @param steps total steps
   */
  public LrSchedule(double peak, double minLrRatio, int warmupSteps, int steps) {
    this.peak = peak;
    this.floor = peak * minLrRatio;
    this.warmupSteps = warmupSteps;
    this.steps = steps;
  }

  /**
   * The learning rate of a step.
   *
   * @param step 0-based optimizer step
   * @return the learning rate to use for that step
   */
  public double at(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps));
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
