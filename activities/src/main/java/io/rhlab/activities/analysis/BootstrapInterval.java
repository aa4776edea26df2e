package io.rhlab.activities.analysis;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * A percentile bootstrap interval: resample the n observations with replacement {@code resamples}
 * times (java.util.Random from {@code seed}, so the interval is reproducible), compute the
 * statistic on each resample, and take the (1 - confidence)/2 and (1 + confidence)/2 quantiles of
 * those values (linear interpolation between order statistics: R's type 7, numpy's default).
 *
 * @param estimate the statistic on the original sample
 * @param lower lower bound, NaN if no resample had a defined statistic
 * @param upper upper bound, NaN likewise
 * @param confidence nominal coverage, e.g. 0.95
 * @param resamples resamples drawn
 * @param undefinedResamples resamples whose statistic was NaN (e.g. a Spearman resample with all
 *     values tied), left out of the quantiles
 */
public record BootstrapInterval(
    double estimate,
    double lower,
    double upper,
    double confidence,
    int resamples,
    int undefinedResamples) {

  /** Smallest sample a bootstrap interval is computed for. */
  public static final int MIN_SAMPLE = 3;

  /** A statistic of paired observations given as resampled index arrays. */
  @FunctionalInterface
  interface PairedStatistic {
    double of(double[] x, double[] y);
  }

  /**
   * Interval for the mean of a sample.
   *
   * @param sample at least {@link #MIN_SAMPLE} numbers, none NaN
   * @param resamples 100..1,000,000
   * @param confidence in (0, 1)
   * @param seed resampling seed
   * @return the interval
   */
  public static BootstrapInterval ofMean(
      double[] sample, int resamples, double confidence, long seed) {
    return paired(sample, sample, (x, y) -> Arrays.stream(x).average().orElse(Double.NaN),
        resamples, confidence, seed);
  }

  /**
   * Interval for Spearman's rho of paired observations, resampling pairs.
   *
   * @param x first variable, at least {@link #MIN_SAMPLE} values
   * @param y second variable, same length
   * @param resamples 100..1,000,000
   * @param confidence in (0, 1)
   * @param seed resampling seed
   * @return the interval
   */
  public static BootstrapInterval ofSpearman(
      double[] x, double[] y, int resamples, double confidence, long seed) {
    return paired(x, y, SpearmanCorrelation::rho, resamples, confidence, seed);
  }

  static BootstrapInterval paired(
      double[] x,
      double[] y,
      PairedStatistic statistic,
      int resamples,
      double confidence,
      long seed) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "x and y must have equal length, got " + x.length + " and " + y.length);
    }
    if (x.length < MIN_SAMPLE) {
      throw new IllegalArgumentException(
          "sample size must be >= " + MIN_SAMPLE + " for a bootstrap interval, got " + x.length);
    }
    if (resamples < 100 || resamples > 1_000_000) {
      throw new IllegalArgumentException("resamples must be in [100, 1000000], got " + resamples);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
        throw new IllegalArgumentException("sample value " + i + " is NaN");
      }
    }
    Random random = new Random(seed);
    int n = x.length;
    double[] values = new double[resamples];
    int defined = 0;
    double[] rx = new double[n];
    double[] ry = new double[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        int pick = random.nextInt(n);
        rx[i] = x[pick];
        ry[i] = y[pick];
      }
      double value = statistic.of(rx, ry);
      if (!Double.isNaN(value)) {
        values[defined++] = value;
      }
    }
    double estimate = statistic.of(x, y);
    if (defined == 0) {
      return new BootstrapInterval(
          estimate, Double.NaN, Double.NaN, confidence, resamples, resamples);
    }
    double[] kept = Arrays.copyOf(values, defined);
    Percentile quantile = new Percentile().withEstimationType(EstimationType.R_7);
    double tail = (1 - confidence) / 2 * 100;
    return new BootstrapInterval(
        estimate,
        quantile.evaluate(kept, tail),
        quantile.evaluate(kept, 100 - tail),
        confidence,
        resamples,
        resamples - defined);
  }
}
