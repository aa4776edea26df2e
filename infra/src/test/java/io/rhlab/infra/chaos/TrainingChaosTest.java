package io.rhlab.infra.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.infra.CliProcess;
import io.rhlab.infra.StackFixture;
import io.rhlab.infra.WorkerProcess;
import io.rhlab.infra.cli.ExitCodes;
import io.rhlab.infra.local.LocalTemporalServer;
import io.rhlab.workflows.experiment.ExperimentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Chaos with training: a worker JVM SIGKILLed mid pre-training, mid fine-tuning, in both, and the
 * Temporal server lost with its worker mid fine-tuning and the run brought back by `rhlab recover`.
 * Each run must complete with every checkpoint, loss curve and evaluation identical to the same
 * experiment run without a fault on a separate fresh stack, resume from its newest checkpoint, and
 * leave no duplicate rows. Full profile only ({@code -Pchaos}, {@code -Drhlab.chaos=full}): even the
 * cheapest scenario needs a second stack for the reference run and took 181 s on the loaded
 * development VM, far above the default profile's budget; TrainingCrashTest covers the SIGKILL
 * mid pre-training there. Writes its table to target/chaos-training-results-full.md.
 */
@EnabledIfSystemProperty(named = "rhlab.chaos", matches = "full")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingChaosTest {
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

  private StackFixture stack;
  private StackFixture referenceStack;
  private WorkerProcess worker;
  private WorkerProcess referenceWorker;
  private Path logs;
  private final Random random = new Random(ChaosProfile.SEED + 1);
  private final ChaosTable table = new ChaosTable();
  private int workers;
  private int runs;
  private long suiteStart;

  @BeforeAll
  void start() throws Exception {
    suiteStart = System.nanoTime();
    logs = Files.createDirectories(Path.of("target", "chaos-logs"));
    stack = new StackFixture();
    referenceStack = new StackFixture();
    referenceWorker = WorkerProcess.start(referenceStack.config, logs.resolve("training-reference.log"));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (WorkerProcess w : new WorkerProcess[] {worker, referenceWorker}) {
        if (w != null) {
          w.close();
        }
      }
    } finally {
      stack.close();
      referenceStack.close();
      String header = String.format(Locale.ROOT, "Training chaos, profile %s, seed %d, %d runs in %.0f s",
          ChaosProfile.name(), ChaosProfile.SEED, table.rows().size(), (System.nanoTime() - suiteStart) / 1e9);
      System.out.println(header + "\n" + table.markdown());
      table.write(Path.of("target", "chaos-training-results-" + ChaosProfile.name() + ".md"), header);
    }
  }

  private WorkerProcess newWorker() throws Exception {
    workers++;
    return WorkerProcess.start(stack.config, logs.resolve("training-worker-" + workers + ".log"));
  }

  private void ensureWorker() throws Exception {
    if (worker == null || !worker.alive()) {
      worker = newWorker();
    }
  }

  private TrainingChaosExperiment experiment(String id, int pretrainSteps, int finetuneSteps) {
    return new TrainingChaosExperiment(id, ChaosProfile.SEED * 1000 + 500 + runs++, pretrainSteps, finetuneSteps);
  }

  /** The same experiment (id and spec) without a fault, on the reference stack. */
  private Map<String, String> uninterrupted(TrainingChaosExperiment x) throws Exception {
    TrainingChaosExperiment ref = new TrainingChaosExperiment(x.id, x.seed, x.pretrainSteps, x.finetuneSteps);
    ref.submit(referenceStack);
    ref.result(RUN_TIMEOUT);
    return ref.fingerprint(referenceStack);
  }

  /** A kill point: a checkpoint step before the last of a stage, chosen by the seeded random. */
  private long killStep(int steps) {
    // at least 10 steps before the end: on a quiet machine 5 steps pass within the kill delay
    return 5L * (1 + random.nextInt(Math.max(1, steps / 5 - 2)));
  }

  /** Waits for a checkpoint at or past {@code step} of {@code run}, then SIGKILLs the worker; returns the newest step. */
  private long killAt(TrainingChaosExperiment x, String run, long step) throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (x.newestCheckpoint(stack, run) < step && !x.finished()) {
      assertTrue(System.nanoTime() < deadline, x.id + ": no checkpoint " + step + " of " + run + ":\n"
          + Files.readString(worker.log));
      Thread.sleep(20);
    }
    Thread.sleep(random.nextInt(100));
    worker.kill();
    return x.newestCheckpoint(stack, run);
  }

  /** Seconds from {@code healedAt} until a checkpoint beyond {@code step} of {@code run}, or the end. */
  private double secondsToProgress(TrainingChaosExperiment x, String run, long step, long healedAt) throws Exception {
    ChaosExperiment.await("progress of " + run + " beyond step " + step, RUN_TIMEOUT,
        () -> x.newestCheckpoint(stack, run) > step || x.finished());
    return (System.nanoTime() - healedAt) / 1e9;
  }

  /** Waits for the run, compares it with the uninterrupted one, adds the table row, returns problems. */
  private List<String> finish(TrainingChaosExperiment x, String fault, String faultAt, String stage, long atFault,
      double outage, double recover, String notes) throws Exception {
    List<String> problems = new ArrayList<>();
    ExperimentResult r = null;
    try {
      r = x.result(RUN_TIMEOUT);
    } catch (Exception e) {
      problems.add(x.id + " did not complete: " + e);
    }
    double total = x.secondsSinceSubmit();
    Map<String, String> reference = uninterrupted(x);
    TrainingChaosExperiment.Verdict v = x.verify(stack, r, reference);
    Long resumed = x.resumedFrom(stack, stage);
    boolean stageHadFinished = atFault >= (stage.equals("base-model") ? x.pretrainSteps : x.finetuneSteps);
    String n = (stageHadFinished ? "the stage had finished before the kill; " : "") + notes + "; " + stage
        + " attempts " + x.attempts(stack, stage) + "; " + reference.size() + " values compared";
    table.add(new ChaosTable.Row(fault, faultAt, v.completed(), v.identical(), v.duplicates().size(),
        resumed == null ? -1 : resumed, outage, recover, total, n));
    problems.addAll(v.problems());
    problems.addAll(v.duplicates());
    if (!stageHadFinished && (resumed == null || resumed != atFault)) {
      problems.add(x.id + ": " + stage + " completed from step " + resumed + ", the newest checkpoint at the fault was " + atFault);
    }
    return problems;
  }

  @Test
  @Order(1)
  void workerSigkilledMidPretraining_resumesAndEndsIdentical() throws Exception {
    killOnceAndCheck(experiment("chaos-train-pre", 30, 5), TrainingChaosExperiment.BASE_RUN, "base-model",
        "pre-training", "pretrain");
  }

  @Test
  @Order(2)
  void workerSigkilledMidFinetuning_resumesAndEndsIdentical() throws Exception {
    killOnceAndCheck(experiment("chaos-train-ft", 10, 30), TrainingChaosExperiment.VARIANT, "finetune",
        "fine-tuning", "finetune");
  }

  /** One SIGKILL during one training stage, a new worker, then the identity checks. */
  private void killOnceAndCheck(TrainingChaosExperiment x, String run, String stage, String what, String label)
      throws Exception {
    ensureWorker();
    x.submit(stack);
    int steps = run.equals(TrainingChaosExperiment.BASE_RUN) ? x.pretrainSteps : x.finetuneSteps;
    long target = killStep(steps);
    long atFault = killAt(x, run, target);
    long t0 = System.nanoTime();
    worker = newWorker();
    long healed = System.nanoTime();
    double recover = secondsToProgress(x, run, atFault, healed);
    List<String> problems = finish(x, "worker SIGKILL mid " + what, label + " " + atFault + "/" + steps, stage,
        atFault, (healed - t0) / 1e9, recover, "kill after checkpoint " + target);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  @Order(3)
  void workerSigkilledInBothTrainingStages_resumesEachAndEndsIdentical() throws Exception {
    ensureWorker();
    TrainingChaosExperiment x = experiment("chaos-train-both", 30, 30);
    x.submit(stack);
    long first = killAt(x, TrainingChaosExperiment.BASE_RUN, killStep(x.pretrainSteps));
    worker = newWorker();
    long target = killStep(x.finetuneSteps);
    long atFault = killAt(x, TrainingChaosExperiment.VARIANT, target);
    long t0 = System.nanoTime();
    worker = newWorker();
    long healed = System.nanoTime();
    double recover = secondsToProgress(x, TrainingChaosExperiment.VARIANT, atFault, healed);
    List<String> problems = finish(x, "worker SIGKILL in pre-training, again in fine-tuning",
        "pretrain " + first + "/" + x.pretrainSteps + ", finetune " + atFault + "/" + x.finetuneSteps, "finetune",
        atFault, (healed - t0) / 1e9, recover, "base-model attempts " + x.attempts(stack, "base-model"));
    Long baseResumed = x.resumedFrom(stack, "base-model");
    if (first < x.pretrainSteps && (baseResumed == null || baseResumed != first)) {
      problems.add(x.id + ": base-model completed from step " + baseResumed + ", newest checkpoint at the kill " + first);
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  @Order(4)
  void temporalServerLostMidFinetuning_recoverResumesAndEndsIdentical() throws Exception {
    LocalTemporalServer temporal = stack.stack.temporal().orElseThrow();
    ensureWorker();
    TrainingChaosExperiment x = experiment("chaos-train-recover", 10, 30);
    x.submit(stack);
    long target = killStep(x.finetuneSteps);
    long atFault = killAt(x, TrainingChaosExperiment.VARIANT, target);
    long t0 = System.nanoTime();
    temporal.kill();
    temporal.restart(); // empty: only PostgreSQL and S3 remember the run
    worker = newWorker();
    CliProcess.Run recovered = CliProcess.run(stack.config, "recover", x.id);
    assertTrue(recovered.exitCode() == ExitCodes.OK, recovered.output());
    x.follow(stack.client.newUntypedWorkflowStub(x.id));
    long healed = System.nanoTime();
    double recover = secondsToProgress(x, TrainingChaosExperiment.VARIANT, atFault, healed);
    List<String> problems = finish(x, "Temporal server lost with its worker, `rhlab recover`",
        "finetune " + atFault + "/" + x.finetuneSteps, "finetune", atFault, (healed - t0) / 1e9, recover,
        "base-model " + x.attempts(stack, "base-model"));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
