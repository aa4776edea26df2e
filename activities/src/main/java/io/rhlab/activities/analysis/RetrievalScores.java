package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-head retrieval scores of one model on one set of tests.
 *
 * @param scores [layers][heads] mean score over accepted tests; all NaN when no test was accepted
 *     (the score is undefined then: the reference would have no entry at all)
 * @param threshold the retrieval-head threshold used
 * @param acceptedTests tests that contributed
 * @param totalTests tests run
 * @param outcomes per test, in input order
 */
public record RetrievalScores(
    double[][] scores,
    double threshold,
    int acceptedTests,
    int totalTests,
    List<NeedleOutcome> outcomes) {

  /** Whether any test was accepted, so that scores are numbers. */
  public boolean defined() {
    return acceptedTests > 0;
  }

  /** The score of one head. */
  public double score(AttentionHead head) {
    return scores[head.layer()][head.head()];
  }

  /**
   * Every head, highest score first (ties by layer, then head).
   *
   * @throws IllegalStateException if no test was accepted
   */
  public List<HeadScore> ranked() {
    if (!defined()) {
      throw new IllegalStateException(
          "no test was accepted (0 of " + totalTests + "), so heads cannot be ranked");
    }
    List<HeadScore> all = new ArrayList<>();
    for (int layer = 0; layer < scores.length; layer++) {
      for (int head = 0; head < scores[layer].length; head++) {
        all.add(new HeadScore(new AttentionHead(layer, head), scores[layer][head]));
      }
    }
    all.sort(HeadScore.RANKING);
    return all;
  }

  /** Heads scoring above the threshold, highest first; empty when no test was accepted. */
  public List<HeadScore> retrievalHeads() {
    if (!defined()) {
      return List.of();
    }
    return ranked().stream().filter(s -> s.score() > threshold).toList();
  }

  /** The retrieval heads as a set. */
  public Set<AttentionHead> retrievalHeadSet() {
    Set<AttentionHead> set = new LinkedHashSet<>();
    retrievalHeads().forEach(s -> set.add(s.head()));
    return set;
  }

  /** Share of all heads that are retrieval heads (0 when no test was accepted). */
  public double retrievalShare() {
    return (double) retrievalHeads().size() / headCount();
  }

  /** Number of query heads of the model. */
  public int headCount() {
    return scores.length * scores[0].length;
  }

  /** Ids of tests whose needle was not found in the prompt. */
  public List<String> needleNotFound() {
    return outcomes.stream().filter(o -> o.span() == null).map(NeedleOutcome::id).toList();
  }
}
