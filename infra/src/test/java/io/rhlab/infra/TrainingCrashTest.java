package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.checkpoint.CheckpointManifest;
import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.experiment.ExperimentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exact resume: a worker JVM is SIGKILLed while it pre-trains the base model; the next worker
 * resumes from the newest checkpoint, and the finished weights and optimizer moments are bitwise
 * those of the same experiment run without interruption on a separate, fresh stack.
 */
class TrainingCrashTest {
  static final String SPEC =
      "{'name':'train-crash','seed':3,"
          + "'model':{'architecture':{'dModel':32,'layers':2,'heads':4,'dFf':64,'maxLen':320},"
          + "  'pretrain':{'steps':60,'batchSize':4,'learningRate':0.003,'warmupSteps':5,'seqLen':320,'checkpointEvery':10,'seed':5},"
          + "  'curriculum':{'data':{'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,'minDigits':2,'maxDigits':2}}},"
          + "'variants':[{'name':'kv','data':{'examples':64,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
          + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':32},"
          + "  'train':{'steps':10,'batchSize':4,'seqLen':320,'checkpointEvery':5,'evalExamples':8}}]}";

  @Test
  void sigkilledTraining_resumesFromCheckpointAndEndsBitwiseEqual() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "worker-logs"));
    Map<String, String> interrupted;
    try (StackFixture stack = new StackFixture()) {
      StageRunStore stages = new StageRunStore(stack.db.dataSource());
      WorkerProcess first = WorkerProcess.start(stack.config, logs.resolve("train-first.log"));
      var run = stack.start("tc-1", StackFixture.json(SPEC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      // kill after the step-20 checkpoint is registered and before training ends
      while (baseCheckpointSteps(stack).stream().noneMatch(s -> s >= 20)) {
        assertTrue(System.nanoTime() < deadline, "no checkpoint at step 20:\n" + Files.readString(first.log));
        Thread.sleep(20);
      }
      first.kill();
      long checkpointed = baseCheckpointSteps(stack).get(0);
      assertTrue(checkpointed < 60, "the kill must land mid-training");
      try (WorkerProcess second = WorkerProcess.start(stack.config, logs.resolve("train-second.log"))) {
        ExperimentResult result = run.getResult(300, TimeUnit.SECONDS, ExperimentResult.class);
        List<StageRunRow> base = stages.list("tc-1").stream().filter(r -> r.stage().equals("base-model")).toList();
        assertEquals(List.of("abandoned", "completed"), base.stream().map(StageRunRow::status).toList());
        assertEquals(checkpointed, base.get(1).resumedFrom(), "resumed from the newest checkpoint");
        interrupted = fileHashes(stack, result.variants().get(0).model());
        interrupted.putAll(prefixed("base/", fileHashes(stack, baseModel(stack, result))));
        assertTrue(result.variants().get(0).evaluation().examples() == 8);
      }
    }
    Map<String, String> uninterrupted;
    try (StackFixture stack = new StackFixture();
        WorkerProcess worker = WorkerProcess.start(stack.config, logs.resolve("train-reference.log"))) {
      ExperimentResult result = stack.start("tc-ref", StackFixture.json(SPEC)).getResult(300, TimeUnit.SECONDS, ExperimentResult.class);
      uninterrupted = fileHashes(stack, result.variants().get(0).model());
      uninterrupted.putAll(prefixed("base/", fileHashes(stack, baseModel(stack, result))));
    }
    assertEquals(uninterrupted, interrupted);
  }

  private static List<Long> baseCheckpointSteps(StackFixture stack) {
    return stack.db == null ? List.of() : new CheckpointRecords(stack.db.dataSource()).byStage(baseStageKey(stack))
        .stream().map(CheckpointRecords.CheckpointRow::step).toList();
  }

  private static String baseStageKey(StackFixture stack) {
    var spec = io.rhlab.workflows.spec.ExperimentSpec.parse(StackFixture.json(SPEC));
    return io.rhlab.workflows.StageKeys.of("base-model", io.rhlab.workflows.StageKeys.BASE_MODEL_VERSION, spec.model());
  }

  private static ModelRef baseModel(StackFixture stack, ExperimentResult result) {
    var row = new CheckpointRecords(stack.db.dataSource()).byStage(baseStageKey(stack)).get(0);
    return new ModelRef(row.stageKey(), row.manifestUri(), row.manifestSha256(), row.step(), false);
  }

  /** File name to sha256 of the weights and optimizer state of a stored checkpoint. */
  private static Map<String, String> fileHashes(StackFixture stack, ModelRef model) throws Exception {
    String key = stack.store.key(model.manifestUri());
    CheckpointManifest manifest = StackFixture.JSON.readValue(stack.store.getBytes(key), CheckpointManifest.class);
    Map<String, String> hashes = new TreeMap<>();
    for (CheckpointManifest.File f : manifest.files()) {
      if (f.name().endsWith(".safetensors")) {
        hashes.put(f.name(), f.sha256());
      }
    }
    hashes.put("step", Long.toString(manifest.step()));
    return hashes;
  }

  private static Map<String, String> prefixed(String prefix, Map<String, String> m) {
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }
}
