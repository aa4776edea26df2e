package io.rhlab.activities.training;

/**
 * Where a {@link Trainer} gets its micro-batches. The batch of (step, microStep) must be a pure
 * function of those two numbers and the source's own construction arguments, so the data cursor of
 * a run is just its step count and a resumed run sees exactly the batches it would have seen.
 */
public interface BatchSource {

  /**
   * The micro-batch for one optimizer step.
   *
   * @param step 0-based optimizer step
   * @param microStep 0-based micro-batch within the step (gradient accumulation)
   * @return the batch
   */
  TokenBatch batch(long step, int microStep);

  /**
   * A one-line description stored in the checkpoint's trainer state, so that a resume with
   * different data is visible.
   *
   * @return e.g. {@code shuffled(examples=350, seed=7)}
   */
  String describe();
}
