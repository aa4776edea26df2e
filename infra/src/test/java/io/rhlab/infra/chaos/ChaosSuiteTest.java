package io.rhlab.infra.chaos;

import static io.rhlab.infra.chaos.ChaosExperiment.BIG;
import static io.rhlab.infra.chaos.ChaosExperiment.WARM;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rhlab.infra.StackFixture;
import io.rhlab.infra.WorkerProcess;
import io.rhlab.infra.local.LocalPostgres;
import io.rhlab.infra.local.LocalS3;
import io.rhlab.infra.local.LocalTemporalServer;
import io.rhlab.workflows.experiment.ExperimentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs a data-synthesis experiment through each fault a long run meets - a worker JVM killed, the
 * object store gone for a while, the database restarted, the Temporal server lost - and checks
 * with SQL and the object store that it completed, byte-identical to an uninterrupted run, with no
 * duplicate rows. The worker is a separate JVM pointed at the services, so this JVM can stop them.
 * Prints the fault x outcome table and writes it to target/chaos-results.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosSuiteTest {
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

  private StackFixture stack;
  private WorkerProcess worker;
  private Path logs;
  private final Random random = new Random(ChaosProfile.SEED);
  private final ChaosTable table = new ChaosTable();
  private int workers;
  private long suiteStart;

  @BeforeAll
  void start() throws Exception {
    suiteStart = System.nanoTime();
    logs = Files.createDirectories(Path.of("target", "chaos-logs"));
    stack = new StackFixture();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (worker != null) {
        worker.close();
      }
    } finally {
      stack.close();
      String header = String.format(java.util.Locale.ROOT,
          "Chaos suite, profile %s, seed %d, %d runs in %.0f s", ChaosProfile.name(), ChaosProfile.SEED,
          table.rows().size(), (System.nanoTime() - suiteStart) / 1e9);
      System.out.println(header + "\n" + table.markdown());
      table.write(Path.of("target", "chaos-results-" + ChaosProfile.name() + ".md"), header);
    }
  }

  private WorkerProcess newWorker() throws Exception {
    workers++;
    return WorkerProcess.start(stack.config, logs.resolve("worker-" + workers + ".log"));
  }

  private void ensureWorker() throws Exception {
    if (worker == null || !worker.alive()) {
      worker = newWorker();
    }
  }

  private long seed(int run) {
    return ChaosProfile.SEED * 1000 + run;
  }

  private int runs;

  /** Waits until the big variant has at least {@code parts} parts stored. */
  private static void awaitParts(ChaosExperiment x, int parts) throws InterruptedException {
    ChaosExperiment.await(parts + " parts of " + BIG, Duration.ofMinutes(3), () -> x.storedParts(BIG) >= parts || x.finished());
  }

  /** Finishes a faulted run: waits for the result, verifies, adds the table row, returns problems. */
  private List<String> finish(ChaosExperiment x, String fault, int atFault, double outage, double recover, String notes)
      throws Exception {
    return finish(x, fault, atFault, outage, recover, notes, true);
  }

  private List<String> finish(ChaosExperiment x, String fault, int atFault, double outage, double recover, String notes,
      boolean expectResume) throws Exception {
    ExperimentResult r = null;
    List<String> problems = new ArrayList<>();
    try {
      r = x.result(RUN_TIMEOUT);
    } catch (Exception e) {
      problems.add(x.id + " did not complete: " + e);
    }
    double total = x.secondsSinceSubmit();
    ChaosExperiment.Verdict v = x.verify(r);
    String n = notes + "; big stage_runs " + x.stageRuns(BIG);
    table.add(new ChaosTable.Row(fault, BIG + " " + atFault + "/" + x.chunks(BIG), v.completed(), v.identicalHash(),
        v.duplicateRows(), v.resumedFrom(), outage, recover, total, n));
    problems.addAll(v.problems());
    problems.addAll(v.duplicates());
    if (!v.completed()) {
      problems.add(x.id + " not completed");
    }
    if (!v.identicalHash()) {
      problems.add(x.id + " hash differs from an uninterrupted run");
    }
    if (expectResume && v.resumedFrom() < atFault) {
      problems.add(x.id + ": the finishing attempt resumed from part " + v.resumedFrom() + " though " + atFault + " were stored");
    }
    return problems;
  }

  @Test
  @Order(1)
  void workerSigkilledAtRandomPoints_freshWorkerFinishesIdentically() throws Exception {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < ChaosProfile.workerKills(); i++) {
      ensureWorker();
      ChaosExperiment x = new ChaosExperiment(stack, "chaos-kill-" + i, seed(runs++));
      x.submit();
      int chunks = x.chunks(BIG);
      int target = 1 + random.nextInt(chunks); // 1..chunks; chunks = all parts stored, kill while sealing
      int delayMs = random.nextInt(400);
      awaitParts(x, target);
      Thread.sleep(delayMs);
      long t0 = System.nanoTime();
      worker.kill();
      int atFault = x.storedParts(BIG);
      String notes = "kill " + delayMs + " ms after part " + target + (x.finished() ? " (run had already finished)" : "");
      worker = newWorker();
      long healed = System.nanoTime();
      double recover = x.secondsToProgress(BIG, atFault, healed, RUN_TIMEOUT);
      problems.addAll(finish(x, "worker SIGKILL", atFault, (healed - t0) / 1e9, recover, notes));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  @Order(2)
  void s3ServerDownForAWhile_retriesCarryTheRunThrough() throws Exception {
    ensureWorker();
    LocalS3 s3 = stack.stack.s3().orElseThrow();
    ChaosExperiment x = new ChaosExperiment(stack, "chaos-s3", seed(runs++));
    x.submit();
    int target = 3 + random.nextInt(x.chunks(BIG) / 2);
    awaitParts(x, target);
    long t0 = System.nanoTime();
    s3.stop();
    int atFault = x.storedParts(BIG);
    Thread.sleep(ChaosProfile.s3Outage().toMillis());
    boolean workerSurvived = worker.alive();
    s3.restart();
    long healed = System.nanoTime();
    double recover = x.secondsToProgress(BIG, atFault, healed, RUN_TIMEOUT);
    List<String> problems = finish(x, "S3 down " + ChaosProfile.s3Outage().toSeconds() + " s", atFault,
        (healed - t0) / 1e9, recover, "same port and directory; worker alive throughout: " + workerSurvived);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  @Order(3)
  void postgresRestarted_runContinues() throws Exception {
    List<String> problems = new ArrayList<>();
    LocalPostgres pg = stack.stack.postgres().orElseThrow();
    try (var c = stack.db.connection(); var st = c.createStatement()) {
      for (String setting : List.of("synchronous_commit", "fsync")) {
        try (var rs = st.executeQuery("SHOW " + setting)) {
          rs.next();
          assertTrue(rs.getString(1).equals("on"), setting + " = " + rs.getString(1) + ": commits would not survive a crash");
        }
      }
    }
    List<Boolean> crashes = ChaosProfile.FULL ? List.of(false, true) : List.of(false);
    for (boolean crash : crashes) {
      ensureWorker();
      ChaosExperiment x = new ChaosExperiment(stack, "chaos-pg-" + (crash ? "crash" : "restart"), seed(runs++));
      x.submit();
      int target = 3 + random.nextInt(x.chunks(BIG) / 2);
      awaitParts(x, target);
      long t0 = System.nanoTime();
      int atFault = x.storedParts(BIG);
      if (crash) {
        pg.kill();
      } else {
        pg.stop();
      }
      Thread.sleep(ChaosProfile.postgresOutage().toMillis());
      pg.restart();
      long healed = System.nanoTime();
      int afterRestart = x.storedParts(BIG);
      if (afterRestart >= 0 && afterRestart < atFault) {
        problems.add(x.id + ": PostgreSQL lost committed rows: " + atFault + " parts registered before, " + afterRestart + " after");
      }
      // parts stored between the count and the stop are progress made before the fault
      double recover = x.secondsToProgress(BIG, Math.max(atFault, x.storedParts(BIG)), healed, RUN_TIMEOUT);
      String fault = crash ? "PostgreSQL SIGKILL + restart" : "PostgreSQL stop + restart";
      problems.addAll(finish(x, fault, atFault, (healed - t0) / 1e9, recover,
          "down " + ChaosProfile.postgresOutage().toSeconds() + " s, same port and data dir; worker alive: " + worker.alive()));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  @Order(4)
  void temporalServerLost_resubmissionSkipsDoneStagesAndResumes() throws Exception {
    List<String> problems = new ArrayList<>();
    List<Boolean> survivals = ChaosProfile.FULL ? List.of(false, true) : List.of(false);
    for (boolean workerSurvives : survivals) {
      problems.addAll(loseTemporal(workerSurvives));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /**
   * Loses the Temporal server mid-synthesis and recovers by re-submitting the spec under the same
   * workflow id to a fresh server. With {@code workerSurvives} false the worker JVM dies with the
   * server (the embedded single-process mode: `rhlab worker` without RHLAB_TEMPORAL_ADDRESS hosts
   * the server); with true it lives on, reconnects to the new server on the same port, and its
   * orphaned attempt races the re-submitted one.
   */
  private List<String> loseTemporal(boolean workerSurvives) throws Exception {
    LocalTemporalServer temporal = stack.stack.temporal().orElseThrow();
    ensureWorker();
    ChaosExperiment x = new ChaosExperiment(stack, "chaos-temporal" + (workerSurvives ? "-orphan" : ""), seed(runs++));
    x.submit();
    int target = 3 + random.nextInt(x.chunks(BIG) / 2);
    awaitParts(x, target);
    long t0 = System.nanoTime();
    WorkerProcess old = worker;
    if (!workerSurvives) {
      old.kill();
    }
    temporal.kill();
    int atFault = x.storedParts(BIG);
    temporal.restart(); // empty: every workflow is forgotten
    worker = newWorker();
    x.submit(); // the same spec under the same workflow id, as `rhlab submit --id` does
    long healed = System.nanoTime();
    double recover = x.secondsToProgress(BIG, Math.max(atFault, x.storedParts(BIG)), healed, RUN_TIMEOUT);
    List<String> problems = new ArrayList<>(finish(x,
        workerSurvives ? "Temporal server lost, old worker lives on" : "Temporal server lost (with its worker)",
        atFault, (healed - t0) / 1e9, recover, "re-submitted; warm stage_runs " + x.stageRunStatuses(WARM),
        // a surviving worker's own attempt may win the race and finish from where it was, so only
        // identity and duplicates are checked for it, not which attempt resumed from where
        !workerSurvives));
    long skipped = x.count("SELECT count(*) FROM stage_runs WHERE stage_key = ? AND status = 'skipped'", x.stageKey(WARM));
    if (skipped != 1) {
      problems.add(x.id + ": the finished warm stage was not skipped once on re-submission: " + skipped + " skipped rows");
    }
    if (workerSurvives) {
      old.close();
    }
    return problems;
  }

  /**
   * The Temporal server is lost and comes back at another address (the embedded server on a
   * random port, `rhlab up` restarted): the old worker cannot reach it and lives on, so its
   * in-flight synthesis attempt keeps running, unsupervised, while the re-submitted run's attempt
   * works on the same stage key.
   */
  @Test
  @Order(5)
  void temporalServerMoved_orphanedAttemptDoesNotDoubleComplete() throws Exception {
    assumeTrue(ChaosProfile.FULL, "full profile only");
    LocalTemporalServer temporal = stack.stack.temporal().orElseThrow();
    ensureWorker();
    ChaosExperiment x = new ChaosExperiment(stack, "chaos-temporal-moved", seed(runs++));
    List<String> problems;
    WorkerProcess orphan = worker;
    try (LocalTemporalServer moved = LocalTemporalServer.start(0)) {
      // the replacement server and its worker are up before the old server dies, so the
      // re-submitted attempt starts while the orphan is still writing parts
      var settings = new io.rhlab.infra.config.TemporalSettings(moved.address(), "default", false, null, null, null, null);
      var config = stack.config.withServices(settings, stack.config.db(), stack.config.s3());
      var stubs = io.rhlab.infra.temporal.TemporalClients.connect(settings);
      workers++;
      WorkerProcess replacement = WorkerProcess.start(config, logs.resolve("worker-" + workers + ".log"));
      x.submit();
      int target = 2 + random.nextInt(4);
      awaitParts(x, target);
      long t0 = System.nanoTime();
      temporal.kill();
      int atFault = x.storedParts(BIG);
      x.submitVia(io.rhlab.infra.temporal.TemporalClients.client(stubs, settings));
      long healed = System.nanoTime();
      double recover = x.secondsToProgress(BIG, Math.max(atFault, x.storedParts(BIG)), healed, RUN_TIMEOUT);
      problems = finish(x, "Temporal server moved, old worker orphaned", atFault, (healed - t0) / 1e9, recover,
          "re-submitted to the new address; orphan alive at the end: " + orphan.alive(), false);
      replacement.close();
      stubs.shutdownNow();
    } finally {
      orphan.close();
      worker = null;
      temporal.restart();
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
