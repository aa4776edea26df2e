package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown: SIGTERM to a worker in the middle of training makes it checkpoint the step it
 * reached (not only the last periodic checkpoint) before it exits; the next worker resumes there.
 */
class TrainingShutdownTest {
  static final String SPEC =
      "{'name':'train-term','seed':4,"
          + "'model':{'architecture':{'dModel':32,'layers':2,'heads':4,'dFf':64,'maxLen':320},"
          + "  'pretrain':{'steps':80,'batchSize':4,'seqLen':320,'checkpointEvery':40,'seed':5},"
          + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
          + "'variants':[{'name':'kv','data':{'examples':8,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':8}}]}";

  @Test
  void sigterm_checkpointsTheCurrentStepAndTheNextWorkerResumesThere() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
    String baseKey = StageKeys.of("base-model", StageKeys.BASE_MODEL_VERSION,
        ExperimentSpec.parse(StackFixture.json(SPEC)).model());
    try (StackFixture stack = new StackFixture()) {
      StageRunStore stages = new StageRunStore(stack.db.dataSource());
      CheckpointRecords checkpoints = new CheckpointRecords(stack.db.dataSource());
      WorkerProcess first = WorkerProcess.start(stack.config, logs.resolve("term-first.log"));
      var run = stack.start("term-1", StackFixture.json(SPEC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (progress(stages) < 10) {
        assertTrue(System.nanoTime() < deadline, "training never reached step 10:\n" + Files.readString(first.log));
        Thread.sleep(20);
      }
      first.close(); // SIGTERM, then wait for the JVM to exit
      List<Long> steps = checkpoints.byStage(baseKey).stream().map(CheckpointRecords.CheckpointRow::step).toList();
      assertEquals(1, steps.size(), "one checkpoint, written on shutdown: " + steps);
      long saved = steps.get(0);
      assertTrue(saved >= 10 && saved < 40, "checkpointed at the step reached, got " + saved);

      try (WorkerProcess second = WorkerProcess.start(stack.config, logs.resolve("term-second.log"))) {
        run.getResult(300, TimeUnit.SECONDS, ExperimentResult.class);
        List<StageRunRow> base = stages.list("term-1").stream().filter(r -> r.stage().equals("base-model")).toList();
        assertEquals(saved, base.get(base.size() - 1).resumedFrom(), "the next attempt resumed at the shutdown checkpoint");
        assertEquals("completed", base.get(base.size() - 1).status());
      }
    }
  }

  private static long progress(StageRunStore stages) {
    return stages.list("term-1").stream().filter(r -> r.stage().equals("base-model"))
        .mapToLong(StageRunRow::progressDone).max().orElse(0);
  }
}
