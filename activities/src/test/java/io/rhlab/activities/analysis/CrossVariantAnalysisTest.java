package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.model.AttentionHead;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossVariantAnalysisTest {

  private static final AttentionHead A = new AttentionHead(0, 0);
  private static final AttentionHead B = new AttentionHead(0, 1);
  private static final AttentionHead C = new AttentionHead(1, 0);
  private static final AttentionHead D = new AttentionHead(1, 1);
  private static final AttentionHead X = new AttentionHead(2, 0);

  @Test
  void recallAndSpearman_overTheNonReferenceVariants() {
    Map<String, Set<AttentionHead>> heads = new LinkedHashMap<>();
    heads.put("real", Set.of(A, B, C, D));
    heads.put("s1", Set.of(A)); // recall 0.25
    heads.put("s2", Set.of(A, B)); // 0.5
    heads.put("s3", Set.of(A, B, C, X)); // 0.75
    heads.put("s4", Set.of(X)); // 0
    Map<String, Double> score = Map.of("real", 0.9, "s1", 0.3, "s2", 0.2, "s3", 0.6, "s4", 0.1);
    CrossVariantAnalysis.Report report =
        CrossVariantAnalysis.analyze("real", heads, score, 2000, 0.95, 9);
    assertEquals(
        Map.of("real", 1.0, "s1", 0.25, "s2", 0.5, "s3", 0.75, "s4", 0.0), report.recall());
    assertEquals(List.of("s1", "s2", "s3", "s4"), report.compared());
    // recall ranks (2, 3, 4, 1), score ranks (3, 2, 4, 1): d = (-1, 1, 0, 0), 1 - 6*2/(4*15)
    assertEquals(0.8, report.spearman(), 1e-12);
    assertNotNull(report.spearmanInterval());
    assertEquals(0.8, report.spearmanInterval().estimate(), 1e-12);
    assertEquals(0.375, report.meanRecallInterval().estimate(), 1e-12);
    assertTrue(report.meanRecallInterval().lower() <= 0.375);
    assertTrue(report.meanRecallInterval().upper() >= 0.375);
  }

  @Test
  void fewerThanThreeVariants_haveNoInterval_andAnEmptyReferenceNoCorrelation() {
    Map<String, Set<AttentionHead>> heads = new LinkedHashMap<>();
    heads.put("real", Set.of(A, B));
    heads.put("s1", Set.of(A));
    heads.put("s2", Set.of(A, B));
    Map<String, Double> score = Map.of("real", 0.9, "s1", 0.3, "s2", 0.5);
    CrossVariantAnalysis.Report two =
        CrossVariantAnalysis.analyze("real", heads, score, 1000, 0.95, 1);
    assertEquals(1.0, two.spearman(), 1e-12);
    assertNull(two.spearmanInterval());
    assertNull(two.meanRecallInterval());

    heads.put("real", Set.of());
    CrossVariantAnalysis.Report empty =
        CrossVariantAnalysis.analyze("real", heads, score, 1000, 0.95, 1);
    assertTrue(Double.isNaN(empty.recall().get("s1")));
    assertTrue(Double.isNaN(empty.spearman()));
    assertNull(empty.spearmanInterval());
  }

  @Test
  void unknownReference_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CrossVariantAnalysis.analyze(
                    "nope", Map.of("real", Set.of(A)), Map.of("real", 1.0), 1000, 0.95, 1));
    assertEquals(
        "reference must name a variant of headsByVariant [real], got nope", e.getMessage());
  }
}
