package io.rhlab.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.db.ArtifactStore.Artifact;
import io.rhlab.db.MetricStore.Metric;
import io.rhlab.db.StageRunStore.StageAttempt;
import io.rhlab.db.StageRunStore.StageRunRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StoresTest {
  private static Database db;

  @BeforeAll
  static void open() {
    db = Database.open(TestDatabase.freshDatabase());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void migrate_isIdempotent() {
    assertEquals(0, db.migrate().migrationsExecuted);
  }

  @Test
  void stageRuns_retriedAttemptUpdatesAndOlderRunningIsAbandoned() throws Exception {
    ExperimentStore experiments = new ExperimentStore(db.dataSource());
    experiments.startExperiment("e1", "demo", "{\"name\":\"demo\"}", "a".repeat(64));
    StageRunStore stages = new StageRunStore(db.dataSource());
    String key = "b".repeat(64);
    StageAttempt first = new StageAttempt("e1", "v", "synthesize", key, "run1", "act1", 1, "w1");
    long id1 = stages.begin(first, null, 10L);
    stages.progress(id1, 4, null);
    // the same attempt reported twice (a retried DB write) stays one row
    assertEquals(id1, stages.begin(first, null, 10L));
    StageAttempt second = new StageAttempt("e1", "v", "synthesize", key, "run1", "act1", 2, "w2");
    long id2 = stages.begin(second, 4L, 10L);
    stages.complete(id2, "{\"sha256\":\"x\"}");

    List<StageRunRow> rows = stages.list("e1");
    assertEquals(2, rows.size());
    assertEquals("abandoned", rows.get(0).status());
    assertEquals("completed", rows.get(1).status());
    assertEquals(4L, rows.get(1).resumedFrom());
    assertEquals(10L, rows.get(1).progressTotal());
    assertEquals("{\"sha256\": \"x\"}", stages.completedResult(key).orElseThrow());
    assertTrue(stages.completedResult("c".repeat(64)).isEmpty());
  }

  @Test
  void metrics_upsertOnRunKeyStep() throws Exception {
    MetricStore metrics = new MetricStore(db.dataSource());
    metrics.log("e/v", List.of(new Metric("loss", 1, 2.5), new Metric("loss", 2, 2.0)));
    metrics.log("e/v", List.of(new Metric("loss", 2, 1.5)));
    assertEquals(Map.of(1L, 2.5, 2L, 1.5), metrics.series("e/v", "loss"));
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM metrics WHERE run_id = 'e/v'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void artifacts_reRecordReplaces() {
    new ExperimentStore(db.dataSource()).startExperiment("e2", "x", "{}", "d".repeat(64));
    ArtifactStore artifacts = new ArtifactStore(db.dataSource());
    String key = "e".repeat(64);
    artifacts.record(new Artifact("s3://b/k/part-1", "data-part", "1".repeat(64), 10, "e2", "v", "s", key));
    artifacts.record(new Artifact("s3://b/k/part-0", "data-part", "0".repeat(64), 10, "e2", "v", "s", key));
    artifacts.record(new Artifact("s3://b/k/part-1", "data-part", "2".repeat(64), 11, "e2", "v", "s", key));
    List<Artifact> parts = artifacts.byStage(key, "data-part");
    assertEquals(List.of("s3://b/k/part-0", "s3://b/k/part-1"), parts.stream().map(Artifact::uri).toList());
    assertEquals(11, parts.get(1).bytes());
  }
}
