package io.rhlab.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.db.Database;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.local.LocalStack;
import io.rhlab.infra.temporal.TemporalClients;
import io.rhlab.workflows.TaskQueues;
import io.rhlab.workflows.experiment.ExperimentWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real local stack for a test class: the Temporal test server on a gRPC port, PostgreSQL,
 * the S3 server, and clients to all three. No mocks.
 */
public final class StackFixture implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  public final Path home;
  public final LocalStack stack;
  public final RhlabConfig config;
  public final Database db;
  public final ObjectStore store;
  public final WorkflowServiceStubs stubs;
  public final WorkflowClient client;

  public StackFixture() {
    this(Map.of());
  }

  /** A stack configured by {@code env} on top of a fresh RHLAB_HOME (e.g. an external S3 server). */
  public StackFixture(Map<String, String> env) {
    try {
      home = Files.createTempDirectory("rhlab-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("RHLAB_HOME", home.toString());
    stack = LocalStack.start(RhlabConfig.from(all));
    config = stack.config();
    db = Database.open(config.db());
    db.migrate();
    store = ObjectStore.open(config.s3());
    store.ensureBucket();
    stubs = TemporalClients.connect(config.temporal());
    client = TemporalClients.client(stubs, config.temporal());
  }

  public static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts an experiment workflow as any client would. */
  public WorkflowStub start(String id, JsonNode spec) {
    ExperimentWorkflow wf =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.MAIN).build());
    WorkflowClient.start(wf::run, spec);
    return WorkflowStub.fromTyped(wf);
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    store.close();
    db.close();
    stack.close();
  }
}
