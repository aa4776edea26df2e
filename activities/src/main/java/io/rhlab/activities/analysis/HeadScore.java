package io.rhlab.activities.analysis;

import io.rhlab.activities.model.AttentionHead;
import java.util.Comparator;

/**
 * A head and its retrieval score.
 *
 * @param head the query head
 * @param score its mean score over accepted tests
 */
public record HeadScore(AttentionHead head, double score) {

  /** Highest score first; equal scores by layer, then head, so rankings are deterministic. */
  public static final Comparator<HeadScore> RANKING =
      Comparator.comparingDouble(HeadScore::score)
          .reversed()
          .thenComparingInt(s -> s.head().layer())
          .thenComparingInt(s -> s.head().head());
}
