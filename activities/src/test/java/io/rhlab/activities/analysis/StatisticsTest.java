package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.model.AttentionHead;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Recall, Spearman and bootstrap intervals against values worked out by hand. */
class StatisticsTest {

  private static final AttentionHead A = new AttentionHead(0, 0);
  private static final AttentionHead B = new AttentionHead(0, 1);
  private static final AttentionHead C = new AttentionHead(1, 0);
  private static final AttentionHead D = new AttentionHead(1, 1);
  private static final AttentionHead X = new AttentionHead(2, 0);

  @Test
  void recall_isSharedOverReference_andNaNForAnEmptyReference() {
    assertEquals(0.5, HeadRecall.recall(Set.of(A, C, X), Set.of(A, B, C, D)));
    assertEquals(0.0, HeadRecall.recall(Set.of(), Set.of(A)));
    assertTrue(Double.isNaN(HeadRecall.recall(Set.of(A), Set.of())));
  }

  @Test
  void spearman_withoutTies_isOneMinusSixSumOfSquaredRankDifferences() {
    // d = (-1, 1, -1, 1, 0): 1 - 6 * 4 / (5 * 24) = 0.8
    assertEquals(
        0.8,
        SpearmanCorrelation.rho(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}),
        1e-12);
    assertEquals(
        -1.0, SpearmanCorrelation.rho(new double[] {1, 2, 3}, new double[] {30, 20, 10}), 1e-12);
  }

  @Test
  void spearman_withTies_isPearsonOfAverageRanks() {
    // ranks x = (1, 2.5, 2.5, 4), y = (1, 2, 3, 4): 4.5 / sqrt(4.5 * 5)
    assertEquals(
        4.5 / Math.sqrt(22.5),
        SpearmanCorrelation.rho(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}),
        1e-12);
  }

  @Test
  void spearman_undefinedCases() {
    assertTrue(Double.isNaN(SpearmanCorrelation.rho(new double[] {1}, new double[] {2})));
    assertTrue(
        Double.isNaN(SpearmanCorrelation.rho(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpearmanCorrelation.rho(new double[] {1, Double.NaN}, new double[] {1, 2}));
    assertEquals("x[1] is NaN", nan.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SpearmanCorrelation.rho(new double[] {1, 2}, new double[] {1, 2, 3}));
  }

  @Test
  void bootstrapMean_ofZeroZeroOne_hasTheBinomialQuantiles() {
    // A resample's mean is k/3 with k ~ Binomial(3, 1/3): P(k=0) = 8/27, P(k=3) = 1/27 = 0.037.
    // 95%: the 2.5% quantile is 0, and P(k=3) > 2.5% puts the 97.5% quantile at 1.
    // 90%: P(k <= 2) = 26/27 = 0.963 > 0.95 puts the 95% quantile at 2/3.
    double[] sample = {0, 0, 1};
    BootstrapInterval ninetyFive = BootstrapInterval.ofMean(sample, 20_000, 0.95, 11);
    assertEquals(1.0 / 3, ninetyFive.estimate(), 1e-12);
    assertEquals(0.0, ninetyFive.lower());
    assertEquals(1.0, ninetyFive.upper(), 1e-12);
    BootstrapInterval ninety = BootstrapInterval.ofMean(sample, 20_000, 0.90, 11);
    assertEquals(0.0, ninety.lower());
    assertEquals(2.0 / 3, ninety.upper(), 1e-12);
    assertEquals(0, ninety.undefinedResamples());
  }

  @Test
  void bootstrap_isDeterministicForASeed() {
    double[] sample = {0.1, 0.5, 0.2, 0.9, 0.4, 0.3};
    assertEquals(
        BootstrapInterval.ofMean(sample, 1000, 0.95, 5),
        BootstrapInterval.ofMean(sample, 1000, 0.95, 5));
    assertNotEquals(
        BootstrapInterval.ofMean(sample, 1000, 0.95, 5),
        BootstrapInterval.ofMean(sample, 1000, 0.95, 6));
    BootstrapInterval constant = BootstrapInterval.ofMean(new double[] {2, 2, 2}, 100, 0.95, 1);
    assertEquals(2.0, constant.lower());
    assertEquals(2.0, constant.upper());
  }

  @Test
  void bootstrapSpearman_dropsAllTiedResamples() {
    // y increases with x: every resample with two distinct pairs has rho 1; a resample of one
    // pair three times (probability 3/27 = 1/9) has no rho.
    BootstrapInterval interval =
        BootstrapInterval.ofSpearman(
            new double[] {1, 2, 3}, new double[] {10, 20, 30}, 9000, 0.95, 3);
    assertEquals(1.0, interval.lower(), 1e-12);
    assertEquals(1.0, interval.upper(), 1e-12);
    assertTrue(
        interval.undefinedResamples() > 800 && interval.undefinedResamples() < 1200,
        "undefined " + interval.undefinedResamples());
  }

  @Test
  void bootstrap_badInputNamesTheLimit() {
    IllegalArgumentException small =
        assertThrows(
            IllegalArgumentException.class,
            () -> BootstrapInterval.ofMean(new double[] {1, 2}, 1000, 0.95, 1));
    assertEquals(
        "sample size must be >= 3 for a bootstrap interval, got 2", small.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BootstrapInterval.ofMean(new double[] {1, 2, 3}, 10, 0.95, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> BootstrapInterval.ofMean(new double[] {1, 2, 3}, 1000, 1.0, 1));
  }

  @Test
  void recovery_handlesTheDegenerateDenominator() {
    assertEquals(0.5, ActivationPatching.recovery(0.5, 0.2, 0.8), 1e-12);
    assertEquals(-0.5, ActivationPatching.recovery(0.1, 0.2, 0.4), 1e-12);
    assertTrue(Double.isNaN(ActivationPatching.recovery(0.9, 0.3, 0.3)));
  }
}
