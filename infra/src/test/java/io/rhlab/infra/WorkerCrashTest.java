package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.storage.Sha256;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.workflows.activities.SynthesisProgress;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM is SIGKILLed in the middle of data synthesis. The next worker must resume after
 * the parts already stored (at least as far as the last heartbeat said), not from zero, and the
 * finished dataset must be byte-identical to an uninterrupted generation.
 */
class WorkerCrashTest {
  static final String SPEC =
      "{'name':'crash','seed':77,'variants':[{'name':'big','data':"
          + "{'examples':30000,'dictionaries':40,'examplesPerChunk':400}}]}";

  @Test
  void sigkilledWorker_nextWorkerResumesFromLastHeartbeatedPart() throws Exception {
    try (StackFixture stack = new StackFixture()) {
      Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
      KvRetrievalData data = ExperimentSpec.parse(StackFixture.json(SPEC)).variant("big").kvData();
      StageRunStore stages = new StageRunStore(stack.db.dataSource());

      WorkerProcess first = WorkerProcess.start(stack.config, logs.resolve("first.log"));
      WorkflowStub run = stack.start("crash-1", StackFixture.json(SPEC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (progress(stages) < 5) {
        assertTrue(System.nanoTime() < deadline, "synthesis never reached part 5:\n" + Files.readString(first.log));
        Thread.sleep(20);
      }
      first.kill();
      long storedAtKill = progress(stages);
      assertTrue(storedAtKill < data.chunks(), "the kill must land mid-synthesis");
      int heartbeated = lastHeartbeat(stack, "crash-1/big").orElseThrow().partsDone();
      assertTrue(heartbeated >= 1);

      try (WorkerProcess second = WorkerProcess.start(stack.config, logs.resolve("second.log"))) {
        ExperimentResult result = run.getResult(180, TimeUnit.SECONDS, ExperimentResult.class);

        List<StageRunRow> rows = stages.list("crash-1");
        assertEquals(List.of("abandoned", "completed"), rows.stream().map(StageRunRow::status).toList());
        StageRunRow resumed = rows.get(1);
        assertEquals(2, resumed.attempt());
        assertTrue(resumed.resumedFrom() >= heartbeated,
            "resumed from " + resumed.resumedFrom() + ", last heartbeat said " + heartbeated);
        assertTrue(resumed.resumedFrom() >= storedAtKill,
            "resumed from " + resumed.resumedFrom() + " though " + storedAtKill + " parts were stored");
        assertTrue(!rows.get(0).worker().equals(resumed.worker()), "a different worker finished it");

        String uninterrupted = Sha256.of(ExperimentRunTest.generate(data));
        assertEquals(uninterrupted, result.variants().get(0).data().sha256());
        // one artifacts row per part plus the manifest: a re-written part did not duplicate
        assertEquals(data.chunks() + 1, new ArtifactStore(stack.db.dataSource()).byExperiment("crash-1").size());
      }
    }
  }

  /** Parts done by the running attempt, as it recorded them in stage_runs. */
  private static long progress(StageRunStore stages) {
    return stages.list("crash-1").stream().mapToLong(StageRunRow::progressDone).max().orElse(0);
  }

  /** What the killed attempt last heartbeated, as the Temporal server holds it. */
  private static Optional<SynthesisProgress> lastHeartbeat(StackFixture stack, String workflowId) {
    var response =
        stack.stubs.blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(stack.config.temporal().namespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
    for (PendingActivityInfo a : response.getPendingActivitiesList()) {
      if (a.hasHeartbeatDetails()) {
        return Optional.of(
            DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                0, Optional.of(a.getHeartbeatDetails()), SynthesisProgress.class, SynthesisProgress.class));
      }
    }
    return Optional.empty();
  }
}
