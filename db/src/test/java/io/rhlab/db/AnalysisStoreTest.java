package io.rhlab.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rhlab.db.AnalysisStore.Detection;
import io.rhlab.db.AnalysisStore.EvalSlice;
import io.rhlab.db.AnalysisStore.HeadScore;
import io.rhlab.db.AnalysisStore.KnockoutRow;
import io.rhlab.db.AnalysisStore.PatchingRow;
import io.rhlab.db.AnalysisStore.Report;
import io.rhlab.db.AnalysisStore.VariantAnalysis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnalysisStoreTest {
  private static Database db;
  private static AnalysisStore store;

  @BeforeAll
  static void open() {
    db = Database.open(TestDatabase.freshDatabase());
    new ExperimentStore(db.dataSource()).startExperiment("x1", "demo", "{}", "a".repeat(64));
    store = new AnalysisStore(db.dataSource());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void everyWriteIsAnUpsertOnItsNaturalKey() throws Exception {
    for (int retry = 0; retry < 2; retry++) { // a retried activity writes everything again
      store.recordEvaluation("x1", "v", "mdqa", List.of(new EvalSlice("all", 3, 4), new EvalSlice("position=1", 1, 2)));
      store.recordDetection("x1", "v", new Detection(10, 8, 0.1, 1, 2),
          List.of(new HeadScore(0, 0, 0.0, false), new HeadScore(0, 1, 0.75, true)));
      store.recordKnockout("x1", "v", List.of(new KnockoutRow(1, "top", 0, "0.1", 1, 4),
          new KnockoutRow(1, "random", 1, "0.0", 4, 4)));
      store.recordPatching("x1", "v", "ref", List.of(new PatchingRow("intersection", 0, "0.1", 0.2, 0.6, 0.5, 0.75),
          new PatchingRow("random", 1, "0.0", 0.2, 0.2, 0.2, null)));
      store.recordAnalysis("x1", List.of(new VariantAnalysis("v", 1, 1.0, 0.75)),
          new Report("ref", null, null, null, "s3://b/r.html", "s3://b/r.json", "{\"n\": 1}"));
    }
    assertEquals(2, count("eval_results"));
    assertEquals(1, count("head_detections"));
    assertEquals(2, count("head_scores"));
    assertEquals(2, count("knockout_results"));
    assertEquals(2, count("patching_results"));
    assertEquals(1, count("variant_analysis"));
    assertEquals(1, count("experiment_reports"));
    assertEquals(0.75, scalar("SELECT accuracy FROM eval_results WHERE slice = 'all'"), 0);
    assertEquals(0.25, scalar("SELECT accuracy FROM knockout_results WHERE head_set = 'top'"), 0);
    assertNull(scalarOrNull("SELECT recovery FROM patching_results WHERE head_set = 'random'"));
    assertNull(scalarOrNull("SELECT spearman FROM experiment_reports"));
    assertEquals(List.of(new HeadScore(0, 0, 0.0, false), new HeadScore(0, 1, 0.75, true)),
        store.headScores("x1", "v"));
  }

  private static long count(String table) throws Exception {
    return (long) scalar("SELECT count(*) FROM " + table);
  }

  private static double scalar(String sql) throws Exception {
    return scalarOrNull(sql);
  }

  private static Double scalarOrNull(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      double value = rs.getDouble(1);
      return rs.wasNull() ? null : value;
    }
  }
}
