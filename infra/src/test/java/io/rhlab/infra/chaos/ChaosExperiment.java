package io.rhlab.infra.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.activities.synthesis.SynthesisActivitiesImpl;
import io.rhlab.infra.StackFixture;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.TaskQueues;
import io.rhlab.workflows.experiment.ExperimentWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.VariantSpec;
import io.rhlab.workflows.variant.VariantResult;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One data-synthesis experiment driven through a fault: submits it, watches its parts arrive in
 * PostgreSQL, and afterwards checks everything the platform promises with SQL and the object
 * store: completed, byte-identical to an uninterrupted generation, no duplicate rows or objects.
 */
final class ChaosExperiment {
  static final String WARM = "warm";
  static final String BIG = "big";

  /**
   * Two variants, one at a time: a small one that completes first (so a lost Temporal server has
   * a finished stage to skip) and one of 64 parts of ~0.55 MiB (about 10 s of work on 2 cores),
   * long enough to fault mid-run.
   */
  static String spec(long seed, int bigExamples) {
    return ("{'name':'chaos','seed':" + seed + ",'maxParallelVariants':1,'variants':["
            + "{'name':'warm','data':{'examples':600,'dictionaries':10,'examplesPerChunk':200}},"
            + "{'name':'big','data':{'examples':" + bigExamples + ",'dictionaries':40,'examplesPerChunk':250}}]}")
        .replace('\'', '"');
  }

  final StackFixture stack;
  final String id;
  final JsonNode specJson;
  final ExperimentSpec spec;
  private WorkflowStub stub;
  private CompletableFuture<ExperimentResult> result;
  private long submittedAt;

  ChaosExperiment(StackFixture stack, String id, long seed) {
    this(stack, id, seed, 16_000);
  }

  /** With {@code bigExamples} examples (250 per part) in the big variant. */
  ChaosExperiment(StackFixture stack, String id, long seed, int bigExamples) {
    this.stack = stack;
    this.id = id;
    this.specJson = StackFixture.json(spec(seed, bigExamples).replace('"', '\''));
    this.spec = ExperimentSpec.parse(specJson);
  }

  /** Starts (or, after the Temporal server was lost, re-submits) the experiment with its id. */
  void submit() {
    submitVia(stack.client);
  }

  /** Starts the experiment through another Temporal server's client (a server that moved). */
  void submitVia(WorkflowClient client) {
    ExperimentWorkflow wf = client.newWorkflowStub(ExperimentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.MAIN).build());
    WorkflowClient.start(wf::run, specJson);
    stub = WorkflowStub.fromTyped(wf);
    result = stub.getResultAsync(ExperimentResult.class);
    if (submittedAt == 0) {
      submittedAt = System.nanoTime();
    }
  }

  boolean finished() {
    return result.isDone();
  }

  double secondsSinceSubmit() {
    return (System.nanoTime() - submittedAt) / 1e9;
  }

  KvRetrievalData data(String variant) {
    return spec.variant(variant).kvData();
  }

  String stageKey(String variant) {
    return StageKeys.of("synthesize", StageKeys.SYNTHESIS_VERSION, data(variant));
  }

  int chunks(String variant) {
    return data(variant).chunks();
  }

  /** Parts of a variant registered in artifacts; -1 while PostgreSQL cannot answer. */
  int storedParts(String variant) {
    return (int) queryLong("SELECT count(*) FROM artifacts WHERE stage_key = ? AND kind = 'data-part'",
        stageKey(variant));
  }

  /** Whether a completed stage_runs row exists for the variant's synthesis; false while unknown. */
  boolean stageCompleted(String variant) {
    return queryLong("SELECT count(*) FROM stage_runs WHERE stage_key = ? AND status = 'completed'",
        stageKey(variant)) > 0;
  }

  private long queryLong(String sql, String arg) {
    try (Connection c = stack.db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException | RuntimeException e) {
      return -1;
    }
  }

  /** Waits until {@code done} holds; fails with the worker log's tail if it never does. */
  static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(25);
    }
  }

  /**
   * Seconds from {@code healedAt} (System.nanoTime) until a part beyond {@code partsAtFault} is
   * registered, or the run finishes (a fault during sealing stores no new part).
   */
  double secondsToProgress(String variant, int partsAtFault, long healedAt, Duration timeout)
      throws InterruptedException {
    await("progress beyond part " + partsAtFault + " of " + variant, timeout,
        () -> storedParts(variant) > partsAtFault || finished());
    return (System.nanoTime() - healedAt) / 1e9;
  }

  ExperimentResult result(Duration timeout) throws Exception {
    return result.get(timeout.toSeconds(), TimeUnit.SECONDS);
  }

  /** What the checks found. */
  record Verdict(
      boolean completed, boolean identicalHash, int duplicateRows, List<String> duplicates, long resumedFrom,
      List<String> problems) {}

  /**
   * Checks the finished run: status, hashes against an independent generation and against the
   * stored bytes, and duplicates across every table and the bucket.
   */
  Verdict verify(ExperimentResult r) throws SQLException {
    List<String> problems = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    int extra = 0; // rows or objects beyond one per natural key
    // completed: the workflow's answer and the rows the dashboards read
    boolean completed = r != null && r.variants().size() == spec.variants().size();
    String status = text("SELECT status FROM experiments WHERE id = ?", id);
    if (!"completed".equals(status)) {
      completed = false;
      problems.add("experiments.status = " + status);
    }
    for (Map.Entry<String, String> v : pairs("SELECT name, status FROM variants WHERE experiment_id = ?", id).entrySet()) {
      if (!"completed".equals(v.getValue())) {
        completed = false;
        problems.add("variants " + v.getKey() + " = " + v.getValue());
      }
    }
    // identical: the workflow's sha256 and the bytes in S3 equal an uninterrupted generation
    boolean identical = r != null;
    for (VariantSpec v : spec.variants()) {
      String expected = Sha256.of(generate(v.kvData()));
      String key = stageKey(v.name());
      VariantResult got = r == null ? null
          : r.variants().stream().filter(x -> x.variant().equals(v.name())).findFirst().orElse(null);
      if (got == null || !expected.equals(got.data().sha256())) {
        identical = false;
        problems.add(v.name() + ": result sha256 " + (got == null ? null : got.data().sha256()) + " != " + expected);
      }
      String stored = storedSha256(key, v.data().chunks());
      if (!expected.equals(stored)) {
        identical = false;
        problems.add(v.name() + ": stored parts hash to " + stored + " != " + expected);
      }
      // exactly one artifacts row per part plus the manifest, and exactly those objects in S3
      TreeSet<String> expectedKeys = new TreeSet<>();
      for (int p = 0; p < v.data().chunks(); p++) {
        expectedKeys.add(SynthesisActivitiesImpl.partKey(key, p));
      }
      expectedKeys.add(SynthesisActivitiesImpl.manifestKey(key));
      List<String> rows = column("SELECT uri FROM artifacts WHERE stage_key = ? ORDER BY uri", key);
      TreeSet<String> rowKeys = new TreeSet<>();
      for (String uri : rows) {
        rowKeys.add(uri.substring(("s3://" + stack.config.bucket() + "/").length()));
      }
      if (rows.size() != expectedKeys.size() || !rowKeys.equals(expectedKeys)) {
        extra += Math.max(0, rows.size() - expectedKeys.size());
        duplicates.add(v.name() + ": " + rows.size() + " artifacts rows for " + expectedKeys.size() + " objects");
      }
      List<String> objects = stack.store.list("data/" + key + "/");
      if (!new TreeSet<>(objects).equals(expectedKeys) || objects.size() != expectedKeys.size()) {
        extra += Math.max(0, objects.size() - expectedKeys.size());
        duplicates.add(v.name() + ": bucket holds " + objects + " under data/" + key);
      }
      // stage_runs: exactly one completed row per stage key, nothing left running
      long completedRows = count("SELECT count(*) FROM stage_runs WHERE stage_key = ? AND status = 'completed'", key);
      if (completedRows != 1) {
        extra += (int) Math.max(0, completedRows - 1);
        duplicates.add(v.name() + ": " + completedRows + " completed stage_runs rows for one stage key");
      }
      long running = count("SELECT count(*) FROM stage_runs WHERE stage_key = ? AND status = 'running'", key);
      if (running != 0) {
        problems.add(v.name() + ": " + running + " stage_runs rows still 'running'");
      }
    }
    // no duplicates by natural key anywhere in the schema
    for (String d : NaturalKeys.duplicates(stack.db)) {
      extra++;
      duplicates.add(d);
    }
    // and no other stage key in the database (earlier runs of the suite) has two completed rows
    List<String> memo = column("SELECT stage_key FROM stage_runs WHERE status = 'completed' GROUP BY stage_key HAVING count(*) > 1", null);
    for (String d : memo) {
      if (spec.variants().stream().noneMatch(v -> stageKey(v.name()).equals(d))) {
        duplicates.add("stage_runs: several completed rows for another stage key " + d);
      }
    }
    long resumedFrom = count("SELECT coalesce(max(resumed_from), 0) FROM stage_runs WHERE stage_key = ? AND status = 'completed'",
        stageKey(BIG));
    return new Verdict(completed, identical, extra, duplicates, resumedFrom, problems);
  }

  /** Reads the parts back through the MinIO client, in order, and hashes them as one stream. */
  private String storedSha256(String key, int chunks) {
    MessageDigest whole = Sha256.digest();
    byte[] buf = new byte[1 << 16];
    for (int p = 0; p < chunks; p++) {
      try (InputStream in = stack.store.get(SynthesisActivitiesImpl.partKey(key, p))) {
        for (int n; (n = in.read(buf)) > 0; ) {
          whole.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        return "unreadable part " + p + ": " + e.getMessage();
      }
    }
    return Sha256.hex(whole);
  }

  /** What the generator makes for the spec, with no store, worker or fault involved. */
  static byte[] generate(KvRetrievalData data) {
    KvRetrievalGenerator g = new KvRetrievalGenerator(data);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int p = 0; p < data.chunks(); p++) {
      out.writeBytes(g.part(p));
    }
    return out.toByteArray();
  }

  /** The stage_runs rows of one variant: status@attempt/worker pid from resumed_from, oldest first. */
  List<String> stageRuns(String variant) throws SQLException {
    return column("SELECT status || '(' || split_part(worker, '@', 1) || ' from ' || coalesce(resumed_from, 0) || ')'"
        + " FROM stage_runs WHERE experiment_id = ? AND variant = '" + variant + "' ORDER BY id", id);
  }

  /** Status counts of the stage_runs rows of one variant, e.g. {failed=3, completed=1}. */
  Map<String, String> stageRunStatuses(String variant) throws SQLException {
    return pairs("SELECT status, count(*)::text FROM stage_runs WHERE experiment_id = ? AND variant = '"
        + variant + "' GROUP BY status ORDER BY status", id);
  }

  private String text(String sql, String arg) throws SQLException {
    List<String> c = column(sql, arg);
    return c.isEmpty() ? null : c.get(0);
  }

  long count(String sql, String arg) throws SQLException {
    return Long.parseLong(text(sql, arg));
  }

  private List<String> column(String sql, String arg) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = stack.db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private Map<String, String> pairs(String sql, String arg) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = stack.db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }
}
