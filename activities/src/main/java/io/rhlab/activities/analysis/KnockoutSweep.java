package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import io.rhlab.activities.model.HeadMaskOperator;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.MaskScope;
import io.rhlab.activities.model.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Knockout of retrieval heads against random heads over a sweep of K (Wu et al. 2024, section on
 * masking): for each K, the accuracy with the K highest-scoring heads masked, and with K random
 * heads masked in several seeded draws.
 *
 * <p>Random heads are drawn from the heads that are neither retrieval heads (score above the
 * threshold) nor among the top K (the reference forgot to exclude retrieval heads and re-drew per
 * test without a seed; here one set per draw is used for all prompts). Draw d for K uses
 * java.util.Random seeded with {@code seed + 1_000_003 * K}, advanced through draws 0..d.
 */
public final class KnockoutSweep {

  /**
   * Settings.
   *
   * @param ks the K values, each in [1, heads of the model]
   * @param draws random draws per K, 1..1000
   * @param seed seed of the random draws
   * @param operator how masked heads are silenced (reference: query zero)
   * @param scope which forwards the masks act on (reference: decode only)
   */
  public record Options(
      List<Integer> ks, int draws, long seed, HeadMaskOperator operator, MaskScope scope) {

    /** Validates what does not depend on the model. */
    public Options {
      if (ks == null || ks.isEmpty()) {
        throw new IllegalArgumentException("ks must hold at least one K");
      }
      ks = List.copyOf(ks);
      if (draws < 1 || draws > 1000) {
        throw new IllegalArgumentException("draws must be in [1, 1000], got " + draws);
      }
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /**
   * The result for one K.
   *
   * @param k heads masked
   * @param topHeads the K highest-scoring heads
   * @param topAccuracy accuracy with them masked
   * @param randomHeads the heads of each random draw; empty when there were too few candidates
   * @param randomAccuracy accuracy per random draw, same order
   * @param randomMean mean over draws of the accuracy value (NaN without draws)
   * @param randomMin smallest (NaN without draws)
   * @param randomMax largest (NaN without draws)
   * @param note why there are no random draws, or null
   */
  public record Point(
      int k,
      List<AttentionHead> topHeads,
      Accuracy topAccuracy,
      List<List<AttentionHead>> randomHeads,
      List<Accuracy> randomAccuracy,
      double randomMean,
      double randomMin,
      double randomMax,
      String note) {}

  /**
   * The sweep's outcome.
   *
   * @param baseline accuracy with nothing masked
   * @param points one per K, in the order given
   */
  public record Result(Accuracy baseline, List<Point> points) {}

  private final PromptRunner runner;
  private final Options options;

  /**
   * A sweep.
   *
   * @param runner model, tokenizer, token limit
   * @param options K values, draws, seed, operator, scope
   */
  public KnockoutSweep(PromptRunner runner, Options options) {
    this.runner = runner;
    this.options = options;
    ModelConfig config = runner.model().config();
    int total = config.layers() * config.heads();
    for (int k : options.ks()) {
      if (k < 1 || k > total) {
        throw new IllegalArgumentException(
            "ks: each K must be in [1, " + total + "] (the model's heads), got " + k);
      }
    }
  }

  /**
   * Runs the sweep.
   *
   * @param scores retrieval scores of this model (defined: some test accepted)
   * @param prompts the evaluation prompts
   * @return baseline and per-K accuracies
   */
  public Result run(RetrievalScores scores, List<TaskPrompt> prompts) {
    List<HeadScore> ranked = scores.ranked();
    Set<AttentionHead> retrieval = scores.retrievalHeadSet();
    Accuracy baseline = runner.accuracy(prompts, null);
    List<Point> points = new ArrayList<>();
    for (int k : options.ks()) {
      List<AttentionHead> top = ranked.subList(0, k).stream().map(HeadScore::head).toList();
      Accuracy topAccuracy = runner.accuracy(prompts, masking(top));
      Set<AttentionHead> candidates = new LinkedHashSet<>();
      ranked.forEach(s -> candidates.add(s.head()));
      candidates.removeAll(retrieval);
      candidates.removeAll(top);
      if (candidates.size() < k) {
        String note =
            "only " + candidates.size() + " heads are neither retrieval heads nor in the top "
                + k + ", fewer than K=" + k + ": no random draws";
        points.add(
            new Point(k, top, topAccuracy, List.of(), List.of(), Double.NaN, Double.NaN,
                Double.NaN, note));
        continue;
      }
      Random random = new Random(options.seed() + 1_000_003L * k);
      List<List<AttentionHead>> drawn = new ArrayList<>();
      List<Accuracy> accuracies = new ArrayList<>();
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int d = 0; d < options.draws(); d++) {
        List<AttentionHead> heads = RandomHeads.draw(candidates, k, random);
        Accuracy accuracy = runner.accuracy(prompts, masking(heads));
        drawn.add(heads);
        accuracies.add(accuracy);
        sum += accuracy.value();
        min = Math.min(min, accuracy.value());
        max = Math.max(max, accuracy.value());
      }
      points.add(
          new Point(k, top, topAccuracy, drawn, accuracies, sum / options.draws(), min, max, null));
    }
    return new Result(baseline, points);
  }

  private Instrumentation masking(List<AttentionHead> heads) {
    return Instrumentation.builder().mask(heads, options.operator(), options.scope()).build();
  }
}
