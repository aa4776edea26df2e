package io.rhlab.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    // liveness 0: an attempt that was not updated "just now" counts as lost, as after a crash
    StageRunStore stages = new StageRunStore(db.dataSource(), java.time.Duration.ZERO);
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

  @Test
  void checkpoints_newestFirstAndUpsertOnRunStep() {
    CheckpointRecords records = new CheckpointRecords(db.dataSource());
    String key = "f".repeat(64);
    records.record(new CheckpointRecords.CheckpointRow("e/v", 10, key, "s3://b/c/10", "1".repeat(64)));
    records.record(new CheckpointRecords.CheckpointRow("e/v", 30, key, "s3://b/c/30", "3".repeat(64)));
    records.record(new CheckpointRecords.CheckpointRow("e/v", 20, key, "s3://b/c/20", "2".repeat(64)));
    records.record(new CheckpointRecords.CheckpointRow("e/v", 20, key, "s3://b/c/20b", "4".repeat(64)));
    assertEquals(
        List.of(30L, 20L, 10L), records.byStage(key).stream().map(CheckpointRecords.CheckpointRow::step).toList());
    assertEquals("s3://b/c/20b", records.byStage(key).get(1).manifestUri());
  }

  @Test
  void views_showLatestAttemptAndProgress() throws Exception {
    new ExperimentStore(db.dataSource()).startExperiment("e3", "v", "{}", "9".repeat(64));
    StageRunStore stages = new StageRunStore(db.dataSource(), java.time.Duration.ZERO);
    String key = "8".repeat(64);
    long first = stages.begin(new StageAttempt("e3", "v", "synthesize", key, "r", "a", 1, "w1"), null, 8L);
    stages.progress(first, 2, null);
    long second = stages.begin(new StageAttempt("e3", "v", "synthesize", key, "r", "a", 2, "w2"), 2L, 8L);
    stages.progress(second, 6, null);
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT attempt, status, fraction FROM stage_progress WHERE experiment_id = 'e3'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
      assertEquals("running", rs.getString(2));
      assertEquals(0.75, rs.getDouble(3), 1e-12);
      assertTrue(!rs.next(), "one row per stage");
    }
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT attempts, failed_attempts, stages_done FROM experiment_overview WHERE experiment_id = 'e3'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
      assertEquals(1, rs.getInt(2)); // the first attempt was abandoned when the second began
      assertEquals(0, rs.getInt(3));
    }
  }

  @Test
  void stageRuns_liveAttemptBlocksASecondAndATakenOverAttemptCannotWrite() {
    new ExperimentStore(db.dataSource()).startExperiment("e4", "x", "{}", "7".repeat(64));
    String key = "6".repeat(64);
    StageRunStore patient = new StageRunStore(db.dataSource());
    long orphan = patient.begin(new StageAttempt("e4", "v", "s", key, "old-run", "a", 1, "w1"), null, 10L);
    patient.progress(orphan, 3, null);
    // a fresh attempt (after the Temporal server was lost) finds the orphan alive: it must wait
    StageAttempt fresh = new StageAttempt("e4", "v", "s", key, "new-run", "a", 1, "w2");
    assertThrows(StageBusyException.class, () -> patient.begin(fresh, null, 10L));
    assertEquals(List.of("running"), patient.list("e4").stream().map(StageRunRow::status).toList());
    // once it looks dead (here: liveness 0), the fresh attempt takes over and the orphan is fenced off
    long taker = new StageRunStore(db.dataSource(), java.time.Duration.ZERO).begin(fresh, 3L, 10L);
    assertThrows(SupersededAttemptException.class, () -> patient.progress(orphan, 4, null));
    assertThrows(SupersededAttemptException.class, () -> patient.complete(orphan, "{}"));
    patient.fail(orphan, "late failure");
    patient.complete(taker, "{}");
    assertEquals(List.of("abandoned", "completed"), patient.list("e4").stream().map(StageRunRow::status).toList());
  }

  @Test
  void experimentsVariantsAndSkips_repeatedWritesKeepOneRowPerNaturalKey() throws Exception {
    // a retried record activity (its first try committed, its answer was lost) writes again
    ExperimentStore experiments = new ExperimentStore(db.dataSource());
    for (int i = 0; i < 2; i++) {
      experiments.startExperiment("e5", "x", "{\"n\": " + i + "}", "5".repeat(64));
      experiments.startVariant("e5", "v", "{}");
      experiments.finishVariant("e5", "v", true, null);
    }
    assertEquals("{\"n\": 1}", experiments.spec("e5").orElseThrow());
    assertTrue(experiments.spec("no-such").isEmpty());
    StageRunStore stages = new StageRunStore(db.dataSource());
    StageAttempt skip = new StageAttempt("e5", "v", "synthesize", "4".repeat(64), "run5", "act", 1, "w");
    stages.recordSkipped(skip, "{}");
    stages.recordSkipped(skip, "{}");
    assertEquals(1, count("SELECT count(*) FROM experiments WHERE id = 'e5'"));
    assertEquals(1, count("SELECT count(*) FROM variants WHERE experiment_id = 'e5'"));
    assertEquals(List.of("skipped"), stages.list("e5").stream().map(StageRunRow::status).toList());
  }

  @Test
  void stageRuns_anAttemptStartingAfterAnotherCompletedIsRefused() {
    new ExperimentStore(db.dataSource()).startExperiment("e9", "demo", "{}", "a".repeat(64));
    StageRunStore stages = new StageRunStore(db.dataSource(), java.time.Duration.ZERO);
    String key = "9".repeat(64);
    // the orphan completes after the new attempt's memo check found nothing ...
    long orphan = stages.begin(new StageAttempt("e9", "v", "synthesize", key, "old", "act", 1, "w1"), null, 4L);
    stages.complete(orphan, "{}");
    // ... so the new attempt's begin must refuse (retryable) instead of running the stage again
    StageAttempt late = new StageAttempt("e9", "v", "synthesize", key, "new", "act", 1, "w2");
    assertThrows(StageBusyException.class, () -> stages.begin(late, null, 4L));
    assertEquals(List.of("completed"), stages.list("e9").stream().map(StageRunRow::status).toList());
    // a completed result that is gone (objects deleted) is retired, and then the stage runs again
    stages.retireCompleted(key, "result no longer intact");
    long again = stages.begin(late, null, 4L);
    stages.complete(again, "{}");
    assertEquals(List.of("abandoned", "completed"), stages.list("e9").stream().map(StageRunRow::status).toList());
  }

  @Test
  void everyInsert_isAnUpsertOnANaturalKey() throws Exception {
    // The audit of issue 5 as a rule: activities are retried, so a plain INSERT could duplicate a
    // row. Every INSERT in this module's stores must say what it does on conflict.
    java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/io/rhlab/db");
    java.util.regex.Pattern insert = java.util.regex.Pattern.compile("INSERT INTO [^\"]*\"(?:\\s*\\+\\s*\"[^\"]*\")*");
    int inserts = 0;
    try (var files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        java.util.regex.Matcher m = insert.matcher(java.nio.file.Files.readString(f));
        while (m.find()) {
          inserts++;
          assertTrue(m.group().contains("ON CONFLICT"), f.getFileName() + ": " + m.group());
        }
      }
    }
    assertEquals(14, inserts, "INSERT statements found in the stores (7 of them in AnalysisStore)");
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
