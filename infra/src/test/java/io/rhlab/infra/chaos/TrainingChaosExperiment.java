package io.rhlab.infra.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.infra.StackFixture;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.temporal.client.WorkflowStub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One experiment that pre-trains a tiny base model and fine-tunes it, driven through a fault and
 * compared with the same experiment (same id and spec) run without a fault on a separate, fresh
 * stack: every checkpoint's manifest sha256 (the manifest lists each weight and optimizer file's
 * sha256), the loss curves and the final evaluation must be identical, with no duplicate rows.
 */
final class TrainingChaosExperiment {
  static final String BASE_RUN = "base";
  static final String VARIANT = "kv";

  /** Tiny on purpose: d=32, 2 layers, batches of 2; checkpoints every 5 steps. */
  static String spec(long seed, int pretrainSteps, int finetuneSteps) {
    return ("{'name':'chaos-train','seed':" + seed + ","
        + "'model':{'architecture':{'dModel':32,'layers':2,'heads':4,'dFf':64,'maxLen':320},"
        + "  'pretrain':{'steps':" + pretrainSteps + ",'batchSize':2,'learningRate':0.003,'warmupSteps':2,"
        + "'seqLen':320,'checkpointEvery':5,'seed':" + seed + "},"
        + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
        + "'variants':[{'name':'kv','data':{'examples':32,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
        + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':16},"
        + "  'train':{'steps':" + finetuneSteps + ",'batchSize':2,'seqLen':320,'checkpointEvery':5,'evalExamples':4}}]}");
  }

  final String id;
  final long seed;
  final JsonNode specJson;
  final int pretrainSteps;
  final int finetuneSteps;
  private CompletableFuture<ExperimentResult> result;
  private long submittedAt;

  TrainingChaosExperiment(String id, long seed, int pretrainSteps, int finetuneSteps) {
    this.id = id;
    this.seed = seed;
    this.specJson = StackFixture.json(spec(seed, pretrainSteps, finetuneSteps));
    this.pretrainSteps = pretrainSteps;
    this.finetuneSteps = finetuneSteps;
  }

  void submit(StackFixture stack) {
    follow(stack.start(id, specJson));
  }

  /** Follows a run started elsewhere (`rhlab recover`) under this id. */
  void follow(WorkflowStub stub) {
    result = stub.getResultAsync(ExperimentResult.class);
    if (submittedAt == 0) {
      submittedAt = System.nanoTime();
    }
  }

  boolean finished() {
    return result != null && result.isDone();
  }

  ExperimentResult result(java.time.Duration timeout) throws Exception {
    return result.get(timeout.toSeconds(), TimeUnit.SECONDS);
  }

  double secondsSinceSubmit() {
    return (System.nanoTime() - submittedAt) / 1e9;
  }

  /** The run id of the checkpoints and metrics of the base model or the variant. */
  String runId(String run) {
    return id + "/" + run;
  }

  /** The newest registered checkpoint step of a run; -1 when none (or the database is busy). */
  long newestCheckpoint(StackFixture stack, String run) {
    try {
      return Long.parseLong(column(stack, "SELECT coalesce(max(step), -1)::text FROM checkpoints WHERE run_id = ?",
          runId(run)).get(0));
    } catch (SQLException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * What must not depend on faults: each checkpoint's manifest sha256 by run and step, the loss
   * and learning-rate curves and the evaluation (timing metrics left out), and the object keys
   * under each training stage's checkpoint prefix.
   */
  Map<String, String> fingerprint(StackFixture stack) throws SQLException {
    Map<String, String> f = new TreeMap<>();
    for (String row : column(stack, "SELECT run_id || ' step ' || step || '=' || manifest_sha256 FROM checkpoints"
        + " WHERE run_id LIKE ? || '/%' ORDER BY run_id, step", id)) {
      f.put("checkpoint " + row.substring(0, row.indexOf('=')), row.substring(row.indexOf('=') + 1));
    }
    for (String row : column(stack, "SELECT run_id || ' ' || key || '=' || string_agg(step || ':' || value, ','"
        + " ORDER BY step) FROM metrics WHERE run_id LIKE ? || '/%' AND key NOT LIKE 'perf/%'"
        + " GROUP BY run_id, key", id)) {
      f.put("metric " + row.substring(0, row.indexOf('=')), row.substring(row.indexOf('=') + 1));
    }
    for (String stageKey : column(stack, "SELECT DISTINCT stage_key FROM checkpoints WHERE run_id LIKE ? || '/%'", id)) {
      List<String> keys = stack.store.list("ckpt/" + stageKey + "/");
      f.put("objects ckpt/" + stageKey.substring(0, 12), keys.size() + " " + Sha256.of(String.join("\n", keys)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return f;
  }

  /** What the checks found. */
  record Verdict(boolean completed, boolean identical, List<String> duplicates, List<String> problems) {}

  Verdict verify(StackFixture stack, ExperimentResult r, Map<String, String> reference) throws SQLException {
    List<String> problems = new ArrayList<>();
    boolean completed = r != null && r.variants().size() == 1;
    List<String> status = column(stack, "SELECT status FROM experiments WHERE id = ?", id);
    if (!status.equals(List.of("completed"))) {
      completed = false;
      problems.add(id + ": experiments.status = " + status);
    }
    List<String> variantStatus = column(stack, "SELECT status FROM variants WHERE experiment_id = ?", id);
    if (!variantStatus.equals(List.of("completed"))) {
      completed = false;
      problems.add(id + ": variants.status = " + variantStatus);
    }
    Map<String, String> got = fingerprint(stack);
    boolean identical = got.equals(reference) && !reference.isEmpty();
    if (!identical) {
      for (String k : new TreeSet<>(union(got.keySet(), reference.keySet()))) {
        if (!Objects.equals(got.get(k), reference.get(k))) {
          problems.add(id + ": " + k + " = " + got.get(k) + ", uninterrupted: " + reference.get(k));
        }
      }
    }
    if (r != null && !Objects.equals(got.get("checkpoint " + runId(VARIANT) + " step " + finetuneSteps),
        r.variants().get(0).model().manifestSha256())) {
      identical = false;
      problems.add(id + ": the result's model is not the final checkpoint");
    }
    List<String> duplicates = new ArrayList<>(NaturalKeys.duplicates(stack.db));
    // one completed attempt per stage of this experiment, none left running
    duplicates.addAll(column(stack, "SELECT stage || ': ' || count(*) || ' completed rows' FROM stage_runs"
        + " WHERE experiment_id = ? AND status = 'completed' GROUP BY stage, stage_key HAVING count(*) > 1", id));
    problems.addAll(column(stack, "SELECT stage || ': attempt ' || attempt || ' still running' FROM stage_runs"
        + " WHERE experiment_id = ? AND status = 'running'", id));
    return new Verdict(completed, identical, duplicates, problems);
  }

  /** The resume point of the attempt that completed a stage (null when it started fresh). */
  Long resumedFrom(StackFixture stack, String stage) throws SQLException {
    List<String> v = column(stack, "SELECT coalesce(resumed_from, 0)::text FROM stage_runs WHERE experiment_id = ?"
        + " AND stage = '" + stage + "' AND status = 'completed'", id);
    return v.isEmpty() ? null : Long.parseLong(v.get(0));
  }

  /** status(worker pid from step) of every attempt, oldest first, e.g. for the table's notes. */
  List<String> attempts(StackFixture stack, String stage) throws SQLException {
    return column(stack, "SELECT status || '(' || split_part(worker, '@', 1) || ' from ' || coalesce(resumed_from, 0)"
        + " || ')' FROM stage_runs WHERE experiment_id = ? AND stage = '" + stage + "' ORDER BY id", id);
  }

  private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
    java.util.Set<T> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static List<String> column(StackFixture stack, String sql, String arg) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = stack.db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
