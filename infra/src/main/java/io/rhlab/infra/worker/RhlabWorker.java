package io.rhlab.infra.worker;

import io.rhlab.activities.checkpoint.CheckpointStore;
import io.rhlab.activities.records.RecordActivitiesImpl;
import io.rhlab.activities.analysis.AnalysisActivitiesImpl;
import io.rhlab.activities.training.StoredModels;
import io.rhlab.activities.training.TrainingActivitiesImpl;
import io.rhlab.db.AnalysisStore;
import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.MetricStore;
import java.nio.file.Path;
import io.rhlab.activities.stage.MemoizedStage;
import io.rhlab.activities.storage.AbandonedUploads;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.synthesis.SynthesisActivitiesImpl;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.Database;
import io.rhlab.db.ExperimentStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.temporal.TemporalClients;
import io.rhlab.workflows.TaskQueues;
import io.rhlab.workflows.experiment.ExperimentWorkflowImpl;
import io.rhlab.workflows.variant.VariantWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.common.converter.DataConverterException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: migrates the schema, makes sure the bucket exists, and polls the main task
 * queue for workflows and activities.
 */
public final class RhlabWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RhlabWorker.class);

  private final WorkflowServiceStubs stubs;
  private final WorkerFactory factory;
  private final Database db;
  private final ObjectStore store;

  private RhlabWorker(WorkflowServiceStubs stubs, WorkerFactory factory, Database db, ObjectStore store) {
    this.stubs = stubs;
    this.factory = factory;
    this.db = db;
    this.store = store;
  }

  /** The options every rhlab worker runs with; see the comments for why. */
  static WorkerOptions workerOptions() {
    return WorkerOptions.newBuilder()
        // Heartbeats otherwise wait up to 0.8 x heartbeat timeout; a retry must see recent progress.
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
        // No sticky queues: the test server never times them out, so a workflow would wait
        // forever on a dead worker's queue. Our histories are short; full replays are cheap.
        .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
        .setMaxConcurrentActivityExecutionSize(4)
        .build();
  }

  /** Starts polling; {@code cfg} must name every service (see LocalStack). */
  public static RhlabWorker start(RhlabConfig cfg) {
    Database db = Database.open(cfg.db());
    db.migrate();
    ObjectStore store = ObjectStore.open(cfg.s3());
    store.ensureBucket();
    abortAbandonedUploads(cfg);
    WorkflowServiceStubs stubs = TemporalClients.connect(cfg.temporal());
    WorkflowClient client = TemporalClients.client(stubs, cfg.temporal());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.MAIN, workerOptions());
    // An argument the data converter cannot decode (not JSON, nesting past Jackson's limits) fails
    // the workflow at once instead of failing its first workflow task forever.
    worker.registerWorkflowImplementationTypes(
        WorkflowImplementationOptions.newBuilder()
            .setFailWorkflowExceptionTypes(DataConverterException.class)
            .build(),
        ExperimentWorkflowImpl.class,
        VariantWorkflowImpl.class);
    String identity = TemporalClients.identity();
    ArtifactStore artifacts = new ArtifactStore(db.dataSource());
    MemoizedStage stage = new MemoizedStage(new StageRunStore(db.dataSource()), identity);
    // Checkpoints and datasets are staged on local disk; one directory per worker process.
    Path work = cfg.home().resolve("work").resolve(Long.toString(ProcessHandle.current().pid()));
    CheckpointStore checkpoints = new CheckpointStore(store, new CheckpointRecords(db.dataSource()), artifacts);
    worker.registerActivitiesImplementations(
        new RecordActivitiesImpl(new ExperimentStore(db.dataSource())),
        new SynthesisActivitiesImpl(store, artifacts, stage),
        new TrainingActivitiesImpl(store, checkpoints, new MetricStore(db.dataSource()), stage, work),
        new AnalysisActivitiesImpl(store, new StoredModels(checkpoints), new AnalysisStore(db.dataSource()),
            stage, work));
    factory.start();
    log.info("worker {} polling {} on {}", identity, TaskQueues.MAIN, cfg.temporal().address());
    return new RhlabWorker(stubs, factory, db, store);
  }

  /**
   * Aborts incomplete multipart uploads older than the configured age, left by workers that died
   * while uploading. Safe here: this worker has no upload of its own in flight yet, uploads are
   * never resumed (a retry uploads the file again under a new id), and uploads of live workers on
   * other machines are younger than the age, which must exceed the longest upload of one object.
   * Housekeeping only: a store that cannot list uploads is logged, not fatal.
   */
  static void abortAbandonedUploads(RhlabConfig cfg) {
    if (cfg.abandonedUploadAge().isZero()) {
      return;
    }
    try (AbandonedUploads uploads = AbandonedUploads.open(cfg.s3())) {
      for (AbandonedUploads.Upload u : uploads.abortOlderThan(cfg.abandonedUploadAge(), Instant.now())) {
        log.info("aborted abandoned upload of {} (id {}, initiated {})", u.key(), u.uploadId(), u.initiated());
      }
    } catch (RuntimeException e) {
      log.warn("could not clean up abandoned multipart uploads: {}", e.getMessage());
    }
  }

  public Database database() {
    return db;
  }

  public ObjectStore store() {
    return store;
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(30, TimeUnit.SECONDS);
    stubs.shutdown();
    store.close();
    db.close();
  }
}
