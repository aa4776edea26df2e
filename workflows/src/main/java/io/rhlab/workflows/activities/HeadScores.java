package io.rhlab.workflows.activities;

import java.util.List;

/**
 * The retrieval scores of all heads of a model.
 *
 * @param tests detection prompts run
 * @param accepted prompts answered right; only these count towards the scores
 * @param threshold a head with a higher score is a retrieval head
 * @param ranked every head, highest score first (ties by layer, then head)
 */
public record HeadScores(int tests, int accepted, double threshold, List<ScoredHead> ranked) {
  /** The heads above the threshold, highest first. */
  public List<ScoredHead> retrievalHeads() {
    return ranked.stream().filter(h -> h.score() > threshold).toList();
  }

  /** The share of all heads that are retrieval heads. */
  public double retrievalShare() {
    return ranked.isEmpty() ? 0 : (double) retrievalHeads().size() / ranked.size();
  }
}
