package io.rhlab.activities.analysis;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Spearman's rank correlation: the Pearson correlation of the ranks, tied values sharing the
 * average of their ranks (Commons Math's ranking and Pearson correlation).
 */
public final class SpearmanCorrelation {

  private static final NaturalRanking RANKING =
      new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

  private SpearmanCorrelation() {}

  /**
   * Spearman's rho.
   *
   * @param x first variable
   * @param y second variable, same length
   * @return rho in [-1, 1]; NaN when fewer than 2 pairs, or when either variable is constant (all
   *     tied: its ranks have no variance, so no correlation is defined)
   * @throws IllegalArgumentException if the lengths differ or a value is NaN
   */
  public static double rho(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "x and y must have equal length, got " + x.length + " and " + y.length);
    }
    requireNumbers("x", x);
    requireNumbers("y", y);
    if (x.length < 2 || isConstant(x) || isConstant(y)) {
      return Double.NaN;
    }
    return new PearsonsCorrelation().correlation(RANKING.rank(x), RANKING.rank(y));
  }

  private static boolean isConstant(double[] values) {
    for (double value : values) {
      if (value != values[0]) {
        return false;
      }
    }
    return true;
  }

  private static void requireNumbers(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is NaN");
      }
    }
  }
}
