package io.rhlab.infra.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.rhlab.infra.StackFixture;
import io.rhlab.infra.worker.RhlabWorker;
import io.rhlab.workflows.TaskQueues;
import io.rhlab.workflows.experiment.ExperimentWorkflow;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.rhlab.workflows.spec.SpecFiles;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile specs from the corpus (workflows/src/test/resources/fuzz) submitted to the real stack as
 * any client would - one json/plain payload, straight through the gRPC API - must each fail the
 * workflow at once, non-retryably, with type InvalidSpec, and leave no trace: no rows in any table,
 * no objects in the bucket.
 */
class InvalidSpecSubmissionTest {
  static final Path CORPUS = Path.of("..", "workflows", "src", "test", "resources", "fuzz");
  static final ObjectMapper JSON = new ObjectMapper();

  /** A handful from the corpus: traversal, huge values, sizes, odd bytes, nesting, YAML tags. */
  static final List<String> SUBMITTED = List.of(
      "name-path-traversal.json", "name-huge.json", "variants-70000.json", "data-dataset-too-big.json",
      "data-chunk-too-big.yaml", "unknown-field-nul.json", "deep-nesting-900.json", "model-too-big.json",
      "yaml-java-type-tag.yaml", "seed-2pow63.json", "root-array.json", "everything-wrong.yaml");

  static StackFixture stack;
  static RhlabWorker worker;

  @BeforeAll
  static void start() {
    stack = new StackFixture();
    worker = RhlabWorker.start(stack.config);
  }

  @AfterAll
  static void stop() {
    worker.close();
    stack.close();
  }

  /** Starts the Experiment workflow with raw JSON bytes as its one argument, as the Web UI does. */
  static WorkflowStub startRaw(String id, byte[] json) {
    Payload arg = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json))
        .build();
    stack.stubs.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(stack.config.temporal().namespace())
        .setWorkflowId(id)
        .setWorkflowType(WorkflowType.newBuilder().setName(ExperimentWorkflow.TYPE))
        .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.MAIN))
        .setInput(Payloads.newBuilder().addPayloads(arg))
        .setRequestId(UUID.randomUUID().toString())
        .setIdentity("fuzz-client")
        .build());
    return stack.client.newUntypedWorkflowStub(id);
  }

  static Map<String, List<String>> expectedPaths() throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(CORPUS.resolve("expected.tsv"))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] cols = line.split("\t", -1);
        out.put(cols[0], List.of(cols).subList(2, cols.length));
      }
    }
    return out;
  }

  @Test
  void hostileSpecs_failAtOnceNonRetryablyAndWriteNothing() throws Exception {
    Map<String, List<String>> expected = expectedPaths();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < SUBMITTED.size(); i++) {
      String file = SUBMITTED.get(i);
      Path f = CORPUS.resolve(file);
      byte[] json = file.endsWith(".json") ? Files.readAllBytes(f) : JSON.writeValueAsBytes(SpecFiles.read(f));
      String id = "fuzz-" + i;
      long t0 = System.nanoTime();
      WorkflowStub stub = startRaw(id, json);
      WorkflowFailedException e =
          assertThrows(WorkflowFailedException.class, () -> stub.getResult(30, TimeUnit.SECONDS, JsonNode.class), file);
      double seconds = (System.nanoTime() - t0) / 1e9;
      ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause(), file);
      assertEquals(InvalidSpecException.TYPE, failure.getType(), file);
      assertTrue(failure.isNonRetryable(), file);
      for (String path : expected.get(file)) {
        String p = path.replace("\\u0000", "\u0000");
        if (!p.contains("{") && !failure.getOriginalMessage().contains("  - " + p)) {
          problems.add(file + ": the failure does not name " + p);
        }
      }
      // at once: one workflow task, no activity or child workflow scheduled, no task retried
      List<EventType> events = stack.client.fetchHistory(id).getEvents().stream().map(HistoryEvent::getEventType).toList();
      for (EventType forbidden : List.of(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)) {
        if (events.contains(forbidden)) {
          problems.add(file + ": history has " + forbidden);
        }
      }
      if (seconds > 10) {
        problems.add(file + ": took " + seconds + " s to fail");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertNothingWritten();
  }

  /** Every table of the schema is empty (bar Flyway's own) and the bucket holds no object. */
  static void assertNothingWritten() throws Exception {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection c = stack.db.connection(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
          + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history' ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
          rs.next();
          rows.put(t, rs.getLong(1));
        }
      }
    }
    assertTrue(rows.keySet().containsAll(List.of("experiments", "variants", "stage_runs", "artifacts", "metrics")), rows.toString());
    assertTrue(rows.values().stream().allMatch(n -> n == 0), "rows written: " + rows);
    assertEquals(List.of(), stack.store.list(""), "objects written");
  }

  /**
   * JSON a client may send but the worker's data converter cannot decode (Jackson's read limits:
   * nesting over 1000, numbers over 1000 digits, names over 50,000 chars; or not JSON at all). The
   * workflow must fail at once, not sit Running while its first workflow task fails forever.
   */
  @Test

  void undecodableSpecs_failTheWorkflowInsteadOfWedgingIt() throws Exception {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("number-1500-digits", "{\"name\":\"x\",\"seed\":" + "9".repeat(1500) + ",\"variants\":[{\"name\":\"v\"}]}");
    bodies.put("nesting-1200", "{\"name\":\"x\",\"junk\":" + "[".repeat(1200) + "]".repeat(1200) + ",\"variants\":[{\"name\":\"v\"}]}");
    bodies.put("name-60000", "{\"name\":\"x\",\"" + "k".repeat(60_000) + "\":1,\"variants\":[{\"name\":\"v\"}]}");
    bodies.put("nan-literal", "{\"name\":\"x\",\"seed\":NaN,\"variants\":[{\"name\":\"v\"}]}");
    bodies.put("truncated", "{\"name\":\"x\",\"variants\":[");
    List<String> wedged = new ArrayList<>();
    for (Map.Entry<String, String> b : bodies.entrySet()) {
      WorkflowStub stub = startRaw("undecodable-" + b.getKey(), b.getValue().getBytes(StandardCharsets.UTF_8));
      try {
        stub.getResult(20, TimeUnit.SECONDS, JsonNode.class);
        wedged.add(b.getKey() + ": completed");
      } catch (WorkflowFailedException e) {
        // failed at once: what we want
      } catch (TimeoutException e) {
        long failedTasks = stack.client.fetchHistory("undecodable-" + b.getKey()).getEvents().stream()
            .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).count();
        wedged.add(b.getKey() + ": still running after 20 s, " + failedTasks + " failed workflow tasks");
      }
    }
    assertTrue(wedged.isEmpty(), String.join("\n", wedged));
  }
}
