package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.ArtifactStore.Artifact;
import io.rhlab.db.ExperimentStore;
import io.rhlab.db.MetricStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.infra.worker.RhlabWorker;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import io.rhlab.workflows.StageStatus;
import io.rhlab.workflows.experiment.ExperimentWorkflow;
import io.rhlab.workflows.variant.VariantWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A whole experiment on the real local stack, checked through the stores' own clients. */
class ExperimentRunTest {
  static StackFixture stack;
  static RhlabWorker worker;

  /** Seeds differ per test: stages with equal keys are (rightly) reused across experiments. */
  static String spec(int seed) {
    return "{'name':'it','seed':" + seed + ",'variants':["
          + "{'name':'a','data':{'examples':300,'dictionaries':6,'examplesPerChunk':100}},"
          + "{'name':'b','data':{'examples':45,'dictionaries':10,'answerTemplate':false,'examplesPerChunk':20}}]}";
  }

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

  @Test
  void run_storesVerifiedDataAndRecordsEveryStage() throws Exception {
    JsonNode spec = StackFixture.json(spec(5));
    ExperimentResult result = stack.start("run-1", spec).getResult(ExperimentResult.class);
    ExperimentSpec parsed = ExperimentSpec.parse(spec);
    ArtifactStore artifacts = new ArtifactStore(stack.db.dataSource());

    assertEquals(List.of("a", "b"), result.variants().stream().map(v -> v.variant()).toList());
    for (var v : result.variants()) {
      DatasetRef ref = v.data();
      var data = parsed.variant(v.variant()).kvData();
      // every part read back through the MinIO client hashes to its artifacts row
      List<Artifact> parts = artifacts.byStage(stageKeyOf(ref), "data-part");
      assertEquals(data.chunks(), parts.size());
      MessageDigest whole = Sha256.digest();
      for (Artifact part : parts) {
        byte[] bytes = stack.store.getBytes(stack.store.key(part.uri()));
        assertEquals(part.sha256(), Sha256.of(bytes));
        assertEquals(part.bytes(), bytes.length);
        whole.update(bytes);
      }
      assertEquals(ref.sha256(), Sha256.hex(whole));
      // and the stored dataset is exactly what the generator makes for that spec
      assertEquals(ref.sha256(), Sha256.of(generate(data)));
      assertEquals(data.examples(), ref.examples());
      Artifact manifest = artifacts.find(ref.manifestUri()).orElseThrow();
      assertEquals(manifest.sha256(), stack.store.sha256(stack.store.key(ref.manifestUri())));
      assertFalse(ref.reused());
    }

    List<StageRunRow> stages = new StageRunStore(stack.db.dataSource()).list("run-1");
    assertEquals(2, stages.size());
    for (StageRunRow r : stages) {
      assertEquals("synthesize", r.stage());
      assertEquals("completed", r.status());
      assertEquals(1, r.attempt());
      assertEquals(r.progressTotal(), r.progressDone());
    }
    var experiments = new ExperimentStore(stack.db.dataSource());
    assertEquals("completed", experiments.find("run-1").orElseThrow().status());
    assertEquals(
        List.of("completed", "completed"),
        experiments.variants("run-1").stream().map(ExperimentStore.VariantRow::status).toList());
    // the progress queries answer from the workflows themselves
    var progress = stack.client.newWorkflowStub(ExperimentWorkflow.class, "run-1").progress();
    assertEquals(Map.of("a", StageStatus.COMPLETED, "b", StageStatus.COMPLETED), progress.variants());
    var variant = stack.client.newWorkflowStub(VariantWorkflow.class, "run-1/a").progress();
    assertEquals(Map.of("synthesize", StageStatus.COMPLETED), variant.stages());
    recordHistories("run-1", "a", "");
  }

  @Test
  void resubmission_skipsStagesWhoseKeyCompleted() {
    JsonNode spec = StackFixture.json(spec(6));
    ExperimentResult first = stack.start("run-2a", spec).getResult(ExperimentResult.class);
    ExperimentResult again = stack.start("run-2b", spec).getResult(ExperimentResult.class);
    for (int i = 0; i < 2; i++) {
      assertTrue(again.variants().get(i).data().reused());
      assertEquals(first.variants().get(i).data().sha256(), again.variants().get(i).data().sha256());
    }
    List<StageRunRow> rows = new StageRunStore(stack.db.dataSource()).list("run-2b");
    assertEquals(List.of("skipped", "skipped"), rows.stream().map(StageRunRow::status).toList());
  }

  @Test
  void invalidSpec_failsAtOnceNamingEveryFieldAndStartsNothing() {
    JsonNode bad =
        StackFixture.json("{'name':'it','varients':[],'variants':[{'name':'a','data':{'examples':0,'digits':4}}]}");
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stack.start("bad-1", bad).getResult(ExperimentResult.class));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(InvalidSpecException.TYPE, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(
        "invalid experiment spec (3 errors):\n"
            + "  - variants[0].data.examples = 0: must be an integer in [1, 1000000]\n"
            + "  - variants[0].data.digits = 4: unknown field\n"
            + "  - varients = []: unknown field",
        failure.getOriginalMessage());
    assertTrue(new ExperimentStore(stack.db.dataSource()).find("bad-1").isEmpty(), "no experiment row");
    assertTrue(new StageRunStore(stack.db.dataSource()).list("bad-1").isEmpty(), "no stage ran");
  }

  static final String TRAINING_SPEC =
      "{'name':'it-train','seed':9,"
          + "'model':{'architecture':{'dModel':32,'layers':2,'heads':4,'dFf':64,'maxLen':320},"
          + "  'pretrain':{'steps':8,'batchSize':4,'seqLen':320,'checkpointEvery':4},"
          + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
          + "'variants':[{'name':'kv','data':{'examples':40,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':20},"
          + "  'train':{'steps':6,'batchSize':4,'seqLen':320,'checkpointEvery':3,'evalExamples':5}}]}";

  @Test
  void run_withTraining_recordsMetricsCheckpointsAndEvaluation() throws Exception {
    ExperimentResult result = stack.start("train-1", StackFixture.json(TRAINING_SPEC)).getResult(ExperimentResult.class);
    var variant = result.variants().get(0);
    assertEquals(6, variant.model().step());
    assertEquals(5, variant.evaluation().examples());
    assertEquals(0.25, variant.evaluation().chance(), 1e-9, "2 dictionaries x 2 keys: 4 values per prompt");

    MetricStore metrics = new MetricStore(stack.db.dataSource());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.copyOf(metrics.series("train-1/kv", "train/loss").keySet()));
    assertEquals(8, metrics.series("train-1/base", "pretrain/loss").size());
    assertEquals(Map.of(0L, variant.evaluation().valueAccuracy()), metrics.series("train-1/kv", "eval/value_accuracy"));
    for (double loss : metrics.series("train-1/kv", "train/loss").values()) {
      assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    }
    // checkpoints at 3 and 6 for the fine-tune, 4 and 8 for the base model; the final one is the model
    var checkpoints = new io.rhlab.db.CheckpointRecords(stack.db.dataSource());
    assertEquals(List.of(6L, 3L), checkpoints.byStage(variant.model().stageKey()).stream()
        .map(io.rhlab.db.CheckpointRecords.CheckpointRow::step).toList());
    assertEquals(variant.model().manifestUri(), checkpoints.byStage(variant.model().stageKey()).get(0).manifestUri());

    List<String> stages = new StageRunStore(stack.db.dataSource()).list("train-1").stream()
        .map(r -> r.stage() + ":" + r.status()).toList();
    assertEquals(List.of("base-model:completed", "synthesize:completed", "finetune:completed", "evaluate:completed"), stages);
    recordHistories("train-1", "kv", "-train");
  }

  static final String ANALYSIS_SPEC =
      "{'name':'it-analysis','seed':11,"
          + "'model':{'architecture':{'dModel':32,'layers':2,'heads':2,'dFf':64,'maxLen':1024},"
          + "  'pretrain':{'steps':4,'batchSize':4,'seqLen':320,'checkpointEvery':4},"
          + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
          + "'variants':["
          + " {'name':'kv','data':{'examples':16,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "   'minDigits':2,'maxDigits':2,'examplesPerChunk':8},"
          + "  'train':{'steps':2,'batchSize':4,'seqLen':320,'checkpointEvery':2,'evalExamples':3}},"
          + " {'name':'symbolic','task':'needle-quadrant','data':{'examples':8,'realism':'symbolic',"
          + "   'diversity':'repetitive','contextLength':128,'examplesPerChunk':4},"
          + "  'train':{'steps':2,'batchSize':4,'seqLen':320,'checkpointEvery':2}},"
          + " {'name':'relation','task':'needle-quadrant','data':{'examples':8,'realism':'relation',"
          + "   'diversity':'varied','contextLength':128,'examplesPerChunk':4},"
          + "  'train':{'steps':2,'batchSize':4,'seqLen':320,'checkpointEvery':2}},"
          + " {'name':'data-only','data':{'examples':4,'dictionaries':2,'examplesPerChunk':4}}],"
          + "'analysis':{'reference':'kv',"
          + "  'sets':[{'name':'kv-held','data':{'examples':6,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "     'minDigits':2,'maxDigits':2,'seed':77,'examplesPerChunk':6}},"
          + "   {'name':'mdqa','task':'mdqa','data':{'examples':6,'documents':3,'goldPositions':[1,3],"
          + "     'documentTokens':40,'examplesPerChunk':6}}],"
          + "  'detection':{'set':'kv-held','examples':4,'maxNewTokens':6},"
          + "  'downstream':{'set':'mdqa','examples':4},"
          + "  'knockout':{'ks':[1,2],'draws':2,'examples':4},"
          + "  'patching':{'examples':4,'draws':2}}}";

  @Test
  void run_withAnalysis_writesEveryResultTableAndAVerifiedReport() throws Exception {
    ExperimentResult result =
        stack.start("analysis-1", StackFixture.json(ANALYSIS_SPEC)).getResult(ExperimentResult.class);
    assertEquals(4, result.variants().size());
    assertEquals(null, result.variants().get(3).findings(), "a data-only variant is not analysed");
    var findings = result.variants().subList(0, 3).stream().map(v -> v.findings()).toList();
    for (var f : findings) {
      assertEquals(4, f.heads().ranked().size(), "2 layers x 2 heads, every head scored");
      assertEquals(4, f.heads().tests());
      assertEquals(List.of(1, 2), f.knockout().points().stream().map(p -> p.k()).toList());
      assertEquals(4, f.downstream().examples());
    }
    assertEquals(null, result.variants().get(0).findings().patching(), "patching is the parent's stage");

    try (var c = stack.db.dataSource().getConnection(); var st = c.createStatement()) {
      assertEquals(12, count(st, "SELECT count(*) FROM head_scores WHERE experiment_id = 'analysis-1'"));
      assertEquals(3, count(st, "SELECT count(*) FROM head_detections WHERE experiment_id = 'analysis-1'"));
      // per variant: K=1 and K=2, each a top row and up to 2 random draws (K=2 of 4 heads leaves 2 others)
      assertEquals(3, count(st, "SELECT count(DISTINCT variant) FROM knockout_results WHERE experiment_id = 'analysis-1'"));
      assertEquals(6, count(st, "SELECT count(*) FROM knockout_results WHERE experiment_id = 'analysis-1' AND head_set = 'top'"));
      assertEquals(2, count(st, "SELECT count(DISTINCT variant) FROM patching_results WHERE experiment_id = 'analysis-1'"));
      assertEquals(0, count(st, "SELECT count(*) FROM patching_results WHERE experiment_id = 'analysis-1' AND variant = 'kv'"));
      assertEquals(3, count(st, "SELECT count(*) FROM eval_results WHERE experiment_id = 'analysis-1' AND task = 'mdqa' AND slice = 'all'"));
      assertEquals(3, count(st, "SELECT count(*) FROM variant_analysis WHERE experiment_id = 'analysis-1'"));
      assertEquals(1, count(st, "SELECT count(*) FROM experiment_reports WHERE experiment_id = 'analysis-1'"));
    }
    // the report and its summary are stored, hashed, and the summary reads back to the findings
    var report = result.report();
    var store = stack.store;
    byte[] summary = store.getBytes(store.key(report.summaryUri()));
    assertEquals(report.summarySha256(), Sha256.of(summary));
    var parsed = io.rhlab.activities.report.SummaryJson.read(new String(summary, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("kv", parsed.reference());
    assertEquals(List.of("kv", "symbolic", "relation"), parsed.variants().stream().map(v -> v.name()).toList());
    assertEquals(findings.get(1).downstream().accuracy(), parsed.variants().get(1).downstream(), 0);
    String html = new String(store.getBytes(store.key(report.reportUri())), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/png;base64,"), "charts are drawn");

    List<String> stages = new StageRunStore(stack.db.dataSource()).list("analysis-1").stream()
        .map(r -> r.variant() + ":" + r.stage()).distinct().toList();
    for (String expected : List.of(":base-model", "@kv-held:synthesize", "@mdqa:synthesize", "kv:downstream",
        "kv:detect-heads", "kv:knockout", "symbolic:patch", "relation:patch", ":analyze")) {
      assertTrue(stages.contains(expected), expected + " ran: " + stages);
    }
    recordHistories("analysis-1", "symbolic", "-analysis");
  }

  private static long count(java.sql.Statement st, String sql) throws Exception {
    try (var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** With -Drhlab.recordHistories=DIR, saves the run's histories for the replay tests. */
  private static void recordHistories(String id, String variant, String suffix) throws Exception {
    String dir = System.getProperty("rhlab.recordHistories");
    if (dir == null) {
      return;
    }
    WorkflowExecutionHistory experiment = stack.client.fetchHistory(id);
    Files.writeString(Path.of(dir, "experiment" + suffix + ".json"), experiment.toJson(true));
    WorkflowExecutionHistory child = stack.client.fetchHistory(id + "/" + variant);
    Files.writeString(Path.of(dir, "variant" + suffix + ".json"), child.toJson(true));
  }

  static byte[] generate(io.rhlab.workflows.spec.KvRetrievalData data) {
    KvRetrievalGenerator g = new KvRetrievalGenerator(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = 0; p < data.chunks(); p++) {
      out.writeBytes(g.part(p));
    }
    return out.toByteArray();
  }


  static String stageKeyOf(DatasetRef ref) {
    String key = stack.store.key(ref.manifestUri()); // data/<stageKey>/manifest.json
    return key.substring("data/".length(), key.lastIndexOf('/'));
  }
}
