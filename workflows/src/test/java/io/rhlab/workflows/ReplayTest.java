package io.rhlab.workflows;

import io.rhlab.workflows.experiment.ExperimentWorkflowImpl;
import io.rhlab.workflows.variant.VariantWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays histories recorded from real runs on the local stack (ExperimentRunTest with
 * -Drhlab.recordHistories=workflows/src/test/resources/histories). A change to workflow code that
 * would break a running workflow fails here; guard such a change with Workflow.getVersion.
 */
class ReplayTest {
  /** The recorded run's workflow id matters: child ids are derived from it. */
  private static WorkflowExecutionHistory history(String name, String workflowId) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name)) {
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    }
  }

  @Test
  void experimentWorkflow_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("experiment.json", "run-1"), ExperimentWorkflowImpl.class);
  }

  @Test
  void variantWorkflow_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("variant.json", "run-1/a"), VariantWorkflowImpl.class);
  }

  @Test
  void experimentWorkflowWithTraining_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("experiment-train.json", "train-1"), ExperimentWorkflowImpl.class);
  }

  @Test
  void variantWorkflowWithTraining_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("variant-train.json", "train-1/kv"), VariantWorkflowImpl.class);
  }

  /** Analysis stages sit behind Workflow.getVersion("analysis-stages"): old and new histories replay. */
  @Test
  void experimentWorkflowWithAnalysis_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("experiment-analysis.json", "analysis-1"), ExperimentWorkflowImpl.class);
  }

  @Test
  void variantWorkflowWithAnalysis_replaysRecordedHistory() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("variant-analysis.json", "analysis-1/symbolic"), VariantWorkflowImpl.class);
  }
}
