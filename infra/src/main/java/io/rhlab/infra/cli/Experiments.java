package io.rhlab.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.workflows.TaskQueues;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.experiment.ExperimentWorkflow;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Starting an experiment workflow and following it to its end with a progress bar. */
final class Experiments {
  private Experiments() {}

  /** A default id: the spec's name and the local time, readable and unique enough for people. */
  static String defaultId(ExperimentSpec spec) {
    return spec.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }

  /**
   * Starts the workflow with the user's spec tree as its one argument. The same id may be submitted
   * again after the earlier run ended: finished stages are then skipped by their keys.
   */
  static WorkflowStub start(WorkflowClient client, String id, JsonNode spec) {
    ExperimentWorkflow wf =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.MAIN)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
    WorkflowClient.start(wf::run, spec);
    return WorkflowStub.fromTyped(wf);
  }

  /**
   * Waits for the result, drawing a bar (on stderr) of stage progress read from PostgreSQL's stage_runs
   * (the same numbers the dashboards show). Returns the result, or throws the workflow's failure.
   */
  static ExperimentResult await(WorkflowStub stub, String id, StageRunStore stages)
      throws InterruptedException, ExecutionException {
    CompletableFuture<ExperimentResult> result = stub.getResultAsync(ExperimentResult.class);
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(id)
            .setInitialMax(1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build()) {
      while (true) {
        try {
          ExperimentResult r = result.get(500, TimeUnit.MILLISECONDS);
          update(bar, stages, id);
          return r;
        } catch (TimeoutException stillRunning) {
          update(bar, stages, id);
        }
      }
    }
  }

  private static void update(ProgressBar bar, StageRunStore stages, String id) {
    List<StageRunRow> rows;
    try {
      rows = stages.list(id);
    } catch (RuntimeException dbUnavailable) {
      bar.setExtraMessage("(database unreachable; still waiting)");
      return;
    }
    // The latest attempt of each (variant, stage) counts.
    Map<String, StageRunRow> latest = new LinkedHashMap<>();
    for (StageRunRow r : rows) {
      latest.put(r.variant() + "/" + r.stage(), r);
    }
    long done = 0;
    long total = 0;
    String active = "";
    for (StageRunRow r : latest.values()) {
      long t = r.progressTotal() == null ? 1 : r.progressTotal();
      boolean finished = r.status().equals("completed") || r.status().equals("skipped");
      total += t;
      done += finished ? t : Math.min(r.progressDone(), t);
      if (r.status().equals("running")) {
        active = r.variant() + ": " + r.stage();
      }
    }
    if (total > 0) {
      bar.maxHint(total);
      bar.stepTo(done);
    }
    bar.setExtraMessage(active);
  }
}
