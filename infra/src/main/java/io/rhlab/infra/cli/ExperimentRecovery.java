package io.rhlab.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rhlab.db.ExperimentStore;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.util.Optional;

/**
 * Re-submits a stored experiment under its own id. PostgreSQL, not Temporal, is the record of what
 * was asked for ({@code experiments.spec}), so this works when the Temporal server that ran the
 * experiment is gone: finished stages are skipped by their keys and training resumes from its
 * newest registered checkpoint.
 */
final class ExperimentRecovery {
  /** What recovery found or did. */
  enum Outcome {
    /** No experiment with that id in the database: nothing to recover. */
    UNKNOWN,
    /** Temporal runs the experiment now; a second run would only wait on the first's stages. */
    RUNNING,
    /** The database records it completed; nothing to do. */
    COMPLETED,
    /** The stored spec no longer validates (the code changed): not started. */
    INVALID_SPEC,
    /** Started again from its stored spec. */
    RESUBMITTED
  }

  /** The outcome, a line for people, and the started workflow when there is one. */
  record Result(Outcome outcome, String message, Optional<WorkflowStub> started) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExperimentStore experiments;
  private final WorkflowClient client;

  ExperimentRecovery(ExperimentStore experiments, WorkflowClient client) {
    this.experiments = experiments;
    this.client = client;
  }

  Result recover(String id) {
    var row = experiments.find(id);
    Optional<String> specJson = experiments.spec(id);
    if (row.isEmpty() || specJson.isEmpty()) {
      return new Result(Outcome.UNKNOWN, "no experiment " + id + " in the database: nothing to recover"
          + " (recover re-submits experiments whose spec was recorded; use submit for new ones)", Optional.empty());
    }
    // Temporal first: a run it still has (waiting for a worker, or working) must not be doubled.
    if (runningInTemporal(id)) {
      return new Result(Outcome.RUNNING, "experiment " + id + " is already running in Temporal;"
          + " it continues as soon as a worker polls " + io.rhlab.workflows.TaskQueues.MAIN, Optional.empty());
    }
    if ("completed".equals(row.get().status())) {
      return new Result(Outcome.COMPLETED, "experiment " + id + " already completed; nothing to recover", Optional.empty());
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(specJson.get());
      ExperimentSpec.parse(tree);
    } catch (IOException | InvalidSpecException e) {
      return new Result(Outcome.INVALID_SPEC, "the stored spec of " + id + " is no longer valid, not started: "
          + e.getMessage(), Optional.empty());
    }
    try {
      WorkflowStub stub = Experiments.start(client, id, tree);
      return new Result(Outcome.RESUBMITTED, "recovered " + id + " (was " + row.get().status()
          + "): re-submitted its stored spec; finished stages are skipped, training resumes from its last checkpoint",
          Optional.of(stub));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // started by someone else between the check and now
      return new Result(Outcome.RUNNING, "experiment " + id + " is already running in Temporal", Optional.empty());
    }
  }

  /** Whether the newest execution with this workflow id is open; a forgotten id is not. */
  private boolean runningInTemporal(String id) {
    var request = DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(client.getOptions().getNamespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
        .build();
    try {
      var status = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(request)
          .getWorkflowExecutionInfo().getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
