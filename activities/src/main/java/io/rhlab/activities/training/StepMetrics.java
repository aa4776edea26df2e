package io.rhlab.activities.training;

/**
 * What one optimizer step measured.
 *
 * @param step 0-based index of the step just taken (after it, {@code step + 1} steps are done)
 * @param loss mean over the micro-batches of the masked next-token cross-entropy (nats per answer
 *     token)
 * @param learningRate the learning rate the update used
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond non-padding tokens processed (forward and backward) per wall-clock second
 */
public record StepMetrics(
    long step, double loss, double learningRate, double gradNorm, double tokensPerSecond) {}
