package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.infra.cli.ExitCodes;
import io.rhlab.infra.local.LocalTemporalServer;
import io.rhlab.workflows.experiment.ExperimentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `rhlab recover` on the real stack, as a separate process with only the services' variables: a
 * training run loses its worker and then its Temporal server mid fine-tune; recover re-submits the
 * spec stored in PostgreSQL, the finished stages are skipped and fine-tuning resumes from its
 * newest checkpoint.
 */
class RecoverCommandTest {
  static final String SPEC =
      "{'name':'recover','seed':11,"
          + "'model':{'architecture':{'dModel':32,'layers':2,'heads':4,'dFf':64,'maxLen':320},"
          + "  'pretrain':{'steps':10,'batchSize':4,'seqLen':320,'checkpointEvery':5},"
          + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
          + "'variants':[{'name':'kv','data':{'examples':64,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':32},"
          + "  'train':{'steps':60,'batchSize':4,'seqLen':320,'checkpointEvery':10,'evalExamples':8}}]}";

  @Test
  void recover_afterWorkerAndTemporalServerLost_skipsFinishedStagesAndResumesTraining() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
    try (StackFixture stack = new StackFixture()) {
      CliProcess.Run unknown = CliProcess.run(stack.config, "recover", "no-such-experiment");
      assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.output());
      assertTrue(unknown.output().contains("no experiment no-such-experiment in the database"), unknown.output());

      WorkerProcess first = WorkerProcess.start(stack.config, logs.resolve("recover-first.log"));
      stack.start("rec-1", StackFixture.json(SPEC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (newestCheckpoint(stack, "rec-1/kv") < 20) {
        assertTrue(System.nanoTime() < deadline, "no fine-tune checkpoint at step 20:\n" + Files.readString(first.log));
        Thread.sleep(20);
      }
      first.kill();
      long checkpointed = newestCheckpoint(stack, "rec-1/kv");
      assertTrue(checkpointed < 60, "the kill must land mid fine-tune");

      // Temporal still holds the run (waiting for a worker): recover must not start a second one
      CliProcess.Run running = CliProcess.run(stack.config, "recover", "rec-1");
      assertEquals(ExitCodes.RUNNING, running.exitCode(), running.output());
      assertTrue(running.output().contains("rec-1 is already running"), running.output());

      LocalTemporalServer temporal = stack.stack.temporal().orElseThrow();
      temporal.kill();
      temporal.restart(); // empty: the run is forgotten, only PostgreSQL and S3 know it
      CliProcess.Run recovered = CliProcess.run(stack.config, "recover", "rec-1");
      assertEquals(ExitCodes.OK, recovered.exitCode(), recovered.output());
      assertTrue(recovered.output().contains("recovered rec-1 (was running)"), recovered.output());

      try (WorkerProcess second = WorkerProcess.start(stack.config, logs.resolve("recover-second.log"))) {
        ExperimentResult result = stack.client.newUntypedWorkflowStub("rec-1")
            .getResult(300, TimeUnit.SECONDS, ExperimentResult.class);
        assertEquals(60, result.variants().get(0).model().step());
        List<StageRunRow> rows = new StageRunStore(stack.db.dataSource()).list("rec-1");
        assertEquals(List.of("completed", "skipped"), statuses(rows, "base-model"));
        assertEquals(List.of("completed", "skipped"), statuses(rows, "synthesize"));
        List<StageRunRow> finetune = rows.stream().filter(r -> r.stage().equals("finetune")).toList();
        StageRunRow last = finetune.get(finetune.size() - 1);
        assertEquals("completed", last.status());
        assertEquals(checkpointed, last.resumedFrom(), "fine-tuning resumed from the newest checkpoint");
        assertEquals(1, finetune.stream().filter(r -> r.status().equals("completed")).count());
        assertEquals(List.of("completed"), statuses(rows, "evaluate"));

        CliProcess.Run done = CliProcess.run(stack.config, "recover", "rec-1");
        assertEquals(ExitCodes.OK, done.exitCode(), done.output());
        assertTrue(done.output().contains("rec-1 already completed"), done.output());
      }
    }
  }

  private static List<String> statuses(List<StageRunRow> rows, String stage) {
    return rows.stream().filter(r -> r.stage().equals(stage)).map(StageRunRow::status).toList();
  }

  /** The highest registered checkpoint step of a run, -1 if none (or the database is busy). */
  static long newestCheckpoint(StackFixture stack, String runId) {
    try (Connection c = stack.db.connection();
        PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(step), -1) FROM checkpoints WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      return -1;
    }
  }
}
