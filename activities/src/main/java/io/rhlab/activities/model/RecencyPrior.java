package io.rhlab.activities.model;

/**
 * An initial preference of the first layer's heads for recent positions, for models trained from
 * scratch with q/k biases (Qwen2 style). Under rotary embedding the product of a head's query bias
 * at position i and key bias at position j depends on the distance {@code delta = i - j} only. With
 * the key bias {@code a} on the first half of every rotary pair and the query bias the same vector
 * rotated by {@code s_h} positions toward the future, that term is
 *
 * <pre>
 *   a^2 * sum_f cos((delta + s_h) * theta_f) / sqrt(headSize)
 * </pre>
 *
 * a kernel that is high over the few nearest positions and falls off with distance (at head size
 * 32 and {@code a = 3}: 18-24 over the 4 nearest positions, below 16 from 30 back), flatter for
 * larger {@code s_h}; head h of layer 0 gets {@code s_h = h mod 4 + 1}. Content weights start random as
 * usual and nothing is fixed: the biases train like every other parameter.
 *
 * <p>Why: retrieving a multi-token key needs first-layer heads that bring the key's tokens, a few
 * positions back, to the value and to the query. From a content-only start the model does not
 * find them within the demo's budget. With this prior and loss on the looked-up tokens only, the
 * keyed lookup of {@code InductionCurriculum} forms at step 200-300 (first value digit 0.38 to
 * 0.79 in 100 steps); without the prior (plain Llama) or with priors peaked exactly at the needed
 * offsets it stayed at about 0.3-0.4 for 600 steps (KvDemoExperiment, bench/RESULTS.md, session
 * 5; earlier sessions' comparisons were made on data with a shortcut and are superseded). At lr
 * 2e-3 it formed in 2 of 4 seeds; at 1e-3 in 6 of 7 (two and three layers), the seventh forming
 * when its run ended (session 6).
 *
 * @param amplitude {@code a}, > 0; 3 in the measurements
 */
public record RecencyPrior(double amplitude) {

  /** Validates the amplitude. */
  public RecencyPrior {
    if (!(amplitude > 0) || Double.isInfinite(amplitude)) {
      throw new IllegalArgumentException("recency prior amplitude must be a finite number > 0, got " + amplitude);
    }
  }

  /** Initial {@code model.layers.0.self_attn.q_proj.bias}, {@code (heads * headSize)}. */
  float[] queryBias(ModelConfig config) {
    int headSize = config.dModel() / config.heads();
    float[] bias = new float[config.heads() * headSize];
    for (int h = 0; h < config.heads(); h++) {
      fillHead(bias, h, headSize, config.ropeTheta(), amplitude, h % 4 + 1, true);
    }
    return bias;
  }

  /** Initial {@code model.layers.0.self_attn.k_proj.bias}, {@code (kvHeads * headSize)}. */
  float[] keyBias(ModelConfig config) {
    int headSize = config.dModel() / config.heads();
    float[] bias = new float[config.kvHeads() * headSize];
    for (int h = 0; h < config.kvHeads(); h++) {
      fillHead(bias, h, headSize, config.ropeTheta(), amplitude, 0, false);
    }
    return bias;
  }

  /**
   * One head's bias in the general form: the key bias is {@code a} on the first channel of every
   * rotary pair; the query bias is that vector rotated by {@code lead} positions toward the future,
   * so the positional term is {@code a^2 sum_f cos((delta + lead) theta_f) / sqrt(headSize)} (a
   * negative lead moves its peak to distance {@code -lead}). Public for the research harness.
   *
   * @param bias the projection's bias, {@code (heads * headSize)}; head {@code head}'s slice is set
   * @param query true for the query bias, false for the key bias ({@code lead} is then unused)
   */
  public static void fillHead(
      float[] bias, int head, int headSize, double ropeTheta, double amplitude, double lead, boolean query) {
    int half = headSize / 2;
    for (int f = 0; f < half; f++) {
      double angle = lead * Math.pow(ropeTheta, -2.0 * f / headSize);
      bias[head * headSize + f] = (float) (query ? amplitude * Math.cos(angle) : amplitude);
      bias[head * headSize + f + half] = (float) (query ? amplitude * Math.sin(angle) : 0);
    }
  }
}
