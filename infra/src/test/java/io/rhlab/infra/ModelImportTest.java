package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.infra.worker.RhlabWorker;
import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.CheckpointRecords.CheckpointRow;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.temporal.client.WorkflowFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face checkpoint (Qwen2-style, with a byte-level tokenizer.json) imported from S3 on the
 * real local stack, fine-tuned and evaluated: every stage must use the imported tokenizer, which
 * the checkpoints carry along.
 */
class ModelImportTest {
  static StackFixture stack;
  static RhlabWorker worker;
  @TempDir Path tmp;

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

  static String spec(String name, String importUri) {
    return "{'name':'" + name + "','seed':11,'model':{'source':'import','importUri':'" + importUri + "'},"
        + "'variants':[{'name':'kv','data':{'examples':8,'dictionaries':2,'goldKeys':2,'minKeys':2,'maxKeys':2,"
        + "  'minDigits':2,'maxDigits':2,'examplesPerChunk':8},"
        + "  'train':{'steps':2,'batchSize':2,'seqLen':768,'checkpointEvery':2,'evalExamples':2}}]}";
  }

  @Test
  void importedTokenizer_isUsedAndCarriedIntoTheFineTunedCheckpoint() throws Exception {
    Path checkpoint = writeCheckpoint(tmp.resolve("hf"), true);
    String uri = upload(checkpoint, "imports/qwen-tiny/");
    JsonNode spec = StackFixture.json(spec("it-import", uri));
    ExperimentResult result = stack.start("import-1", spec).getResult(ExperimentResult.class);
    String baseKey = StageKeys.of("base-model", StageKeys.BASE_MODEL_VERSION, ExperimentSpec.parse(spec).model());
    CheckpointRow imported = new CheckpointRecords(stack.db.dataSource()).byStage(baseKey).get(0);

    var variant = result.variants().get(0);
    assertEquals(2, variant.model().step());
    assertEquals(2, variant.evaluation().examples());
    assertEquals(0, imported.step());
    Map<String, String> base = manifestFiles(imported.manifestUri());
    Map<String, String> tuned = manifestFiles(variant.model().manifestUri());
    String tokenizerSha = io.rhlab.activities.storage.Sha256.of(Files.readAllBytes(checkpoint.resolve("tokenizer.json")));
    assertEquals(tokenizerSha, base.get("tokenizer.json"), "the import stores the tokenizer");
    assertEquals(tokenizerSha, tuned.get("tokenizer.json"), "fine-tuning keeps the base model's tokenizer");
    assertEquals(base.get("tokenizer_config.json"), tuned.get("tokenizer_config.json"));
    assertFalse(tuned.containsKey("synthetic_tokenizer.json"));
    // the fine-tuned model is still a Qwen2 checkpoint (q/k/v biases kept and trained)
    JsonNode config = StackFixture.JSON.readTree(stack.store.getBytes(
        stack.store.key(variant.model().manifestUri()).replace("manifest.json", "config.json")));
    assertEquals("qwen2", config.get("model_type").asText());
  }

  @Test
  void importWithoutTokenizer_failsNamingIt() throws Exception {
    String uri = upload(writeCheckpoint(tmp.resolve("bare"), false), "imports/no-tokenizer/");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> stack.start("import-2", StackFixture.json(spec("it-import-bare", uri))).getResult(ExperimentResult.class));
    String messages = causes(e);
    assertTrue(messages.contains(
        "is not a loadable Llama checkpoint: no tokenizer.json (nor synthetic_tokenizer.json) next to the weights"),
        messages);
  }

  /** A random Qwen2-style model, and (if asked) a byte-level tokenizer.json with 257 ids. */
  static Path writeCheckpoint(Path dir, boolean withTokenizer) throws Exception {
    ModelConfig config = new ModelConfig(260, 32, 2, 4, 2, 64, 10000.0, 1024, true, 1e-6, true);
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.initialize(config, 3, manager)) {
      LlamaCheckpoint.save(model, dir);
    }
    if (withTokenizer) {
      Files.writeString(dir.resolve("tokenizer.json"), byteLevelTokenizer());
      Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
    }
    return dir;
  }

  /** GPT-2's byte-to-character table as the whole vocabulary (no merges): one id per byte. */
  static String byteLevelTokenizer() {
    ObjectNode root = StackFixture.JSON.createObjectNode();
    root.put("version", "1.0");
    ArrayNode added = root.putArray("added_tokens");
    added.addObject().put("id", 256).put("content", "<|endoftext|>").put("single_word", false)
        .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
        .put("trim_offsets", true).put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("unk_token");
    ObjectNode vocab = model.putObject("vocab");
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), b);
    }
    vocab.put("<|endoftext|>", 256);
    model.putArray("merges");
    return root.toString();
  }

  private static String upload(Path dir, String prefix) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        stack.store.putFileVerified(prefix + f.getFileName(), f, "application/octet-stream");
      }
    }
    return stack.store.uri(prefix);
  }

  /** File name to sha256, from a checkpoint's manifest. */
  private static Map<String, String> manifestFiles(String manifestUri) throws Exception {
    JsonNode manifest = StackFixture.JSON.readTree(stack.store.getBytes(stack.store.key(manifestUri)));
    Map<String, String> files = new HashMap<>();
    manifest.get("files").forEach(f -> files.put(f.get("name").asText(), f.get("sha256").asText()));
    return files;
  }

  private static String causes(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
