package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.stage.MemoizedStage;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.storage.S3Settings;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.Database;
import io.rhlab.db.ExperimentStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.TestDatabase;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.MdqaData;
import io.rhlab.workflows.spec.MultiSubkeyKvData;
import io.rhlab.workflows.spec.NeedleData;
import io.rhlab.workflows.spec.QuadrantData;
import io.rhlab.workflows.spec.TaskData;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synthesis activity against the real services: embedded PostgreSQL, an S3 server (s3proxy)
 * reached through the MinIO client, and Temporal's in-memory test server running the activity
 * from a workflow. Every task's dataset is written, verified and read back equal to an independent
 * generation.
 */
class SynthesisActivitiesTest {
  private static S3Proxy s3;
  private static ObjectStore store;
  private static Database db;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("rhlab-s3");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    S3Settings settings = new S3Settings("http://127.0.0.1:" + port, "us-east-1", "rhlab", "test-secret", "rhlab");
    s3 = S3Proxy.builder()
        .blobStore(org.gaul.s3proxy.BlobStores.create("filesystem-nio2", props))
        .endpoint(URI.create(settings.endpoint()))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.accessKey(), settings.secretKey())
        .build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(20);
    }
    store = ObjectStore.open(settings);
    store.ensureBucket();
    db = Database.open(TestDatabase.freshDatabase());
    db.migrate();
    new ExperimentStore(db.dataSource()).startExperiment("exp", "exp", "{}", "0");
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    db.close();
    s3.stop();
  }

  /** Calls the activity from a workflow, so that it runs as in production (attempt numbers and all). */
  @WorkflowInterface
  public interface SynthesizeOnce {
    @WorkflowMethod
    DatasetRef run(SynthesisRequest request);
  }

  public static class SynthesizeOnceImpl implements SynthesizeOnce {
    private final SynthesisActivities activities = Workflow.newActivityStub(SynthesisActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

    @Override
    public DatasetRef run(SynthesisRequest request) {
      return activities.synthesize(request);
    }
  }

  private static DatasetRef synthesize(String variant, TaskData data) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      Worker worker = env.newWorker("synthesis-test");
      worker.registerWorkflowImplementationTypes(SynthesizeOnceImpl.class);
      worker.registerActivitiesImplementations(new SynthesisActivitiesImpl(store, new ArtifactStore(db.dataSource()),
          new MemoizedStage(new StageRunStore(db.dataSource()), "test")));
      env.start();
      SynthesizeOnce wf = env.getWorkflowClient().newWorkflowStub(SynthesizeOnce.class,
          WorkflowOptions.newBuilder().setTaskQueue("synthesis-test").build());
      String key = StageKeys.of("synthesize", StageKeys.SYNTHESIS_VERSION, data);
      return wf.run(new SynthesisRequest("exp", variant, key, data));
    } finally {
      env.close();
    }
  }

  @Test
  void everyTask_isStoredVerifiedAndReadBackAsGenerated() {
    List<TaskData> tasks = List.of(
        new NeedleData(5, "multi-key", 2, "text", List.of(200, 300), List.of(0, 100), 1, 2),
        new QuadrantData(4, "relation", "repetitive", 160, 2, 3),
        new MdqaData(3, 4, List.of(1, 4), 2, 48, 3, 2),
        new MultiSubkeyKvData(3, 3, 2, 1, 2, 3, 1, 2, 3, false, 4, 2));
    DatasetReader reader = new DatasetReader(store);
    for (TaskData data : tasks) {
      DatasetRef ref = synthesize(data.taskName(), data);
      assertEquals(data.examples(), ref.examples());
      assertEquals(data.chunks(), ref.parts());
      byte[] expected = GeneratorChecks.concat(DatasetParts.of(data), data.chunks());
      assertEquals(Sha256.of(expected), ref.sha256(), data.taskName());
      DatasetManifest manifest = reader.manifest(ref);
      assertEquals(data.taskName(), manifest.task());
      assertEquals(data, manifest.spec());
      ExampleGenerator generator = (ExampleGenerator) DatasetParts.of(data);
      List<TaskExample> read = reader.taskExamples(ref);
      assertEquals(data.examples(), read.size());
      for (int i = 0; i < read.size(); i++) {
        assertEquals(generator.example(i), read.get(i));
      }
      // a second run with the same key is reused, not regenerated
      assertTrue(synthesize(data.taskName(), data).reused());
    }
  }

  @Test
  void keyValueData_keepsItsFormat_andReadsAsTheGeneralRecord() {
    KvRetrievalData kv = new KvRetrievalData(5, 3, 2, 2, 3, 2, 3, true, 8, 2);
    DatasetRef ref = synthesize("kv", kv);
    byte[] expected = GeneratorChecks.concat(new KvRetrievalGenerator(kv), kv.chunks());
    assertEquals(Sha256.of(expected), ref.sha256());
    DatasetReader reader = new DatasetReader(store);
    assertEquals(kv, reader.manifest(ref).spec());
    List<KvExample> examples = reader.examples(ref);
    assertArrayEquals(examples.stream().map(KvExample::asTaskExample).toArray(), reader.taskExamples(ref).toArray());
  }
}
