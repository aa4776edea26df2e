package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.checkpoint.CheckpointStore;
import io.rhlab.activities.checkpoint.CheckpointStore.Owner;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.ExperimentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on the real S3 server and PostgreSQL: verified on save, verified on load. */
class CheckpointStoreTest {
  static StackFixture stack;
  static CheckpointStore checkpoints;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    stack = new StackFixture();
    new ExperimentStore(stack.db.dataSource()).startExperiment("ck", "ck", "{}", "0".repeat(64));
    checkpoints =
        new CheckpointStore(stack.store, new CheckpointRecords(stack.db.dataSource()),
            new ArtifactStore(stack.db.dataSource()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private Path checkpointDir(String name, byte[] weights) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.write(dir.resolve("model.safetensors"), weights);
    Files.writeString(dir.resolve("trainer_state.json"), "{\"step\":" + name.length() + "}");
    return dir;
  }

  @Test
  void loadLatest_returnsNewestIntactAndSkipsCorrupted() throws Exception {
    String key = "a".repeat(64);
    Owner owner = new Owner("ck", "v", "finetune", key);
    // 40 MiB: uploaded in 16 MiB parts (multipart) and verified
    byte[] big = new byte[40 << 20];
    new Random(1).nextBytes(big);
    byte[] small = "step 200 weights".getBytes(StandardCharsets.UTF_8);
    checkpoints.save(owner, 100, checkpointDir("a", big));
    checkpoints.save(owner, 200, checkpointDir("b", small));

    CheckpointStore.Loaded newest = checkpoints.loadLatest(key, tmp.resolve("load1")).orElseThrow();
    assertEquals(200, newest.step());
    assertArrayEquals(small, Files.readAllBytes(newest.directory().resolve("model.safetensors")));

    // corrupt the newest checkpoint's weights behind the store's back
    stack.store.putVerified(CheckpointStore.prefix(key, 200) + "model.safetensors", "garbage".getBytes(), "application/octet-stream");
    CheckpointStore.Loaded fallback = checkpoints.loadLatest(key, tmp.resolve("load2")).orElseThrow();
    assertEquals(100, fallback.step());
    assertArrayEquals(big, Files.readAllBytes(fallback.directory().resolve("model.safetensors")));
    assertTrue(Files.exists(fallback.directory().resolve("trainer_state.json")));
  }

  @Test
  void loadLatest_withoutCheckpoints_isEmpty() {
    assertTrue(checkpoints.loadLatest("b".repeat(64), tmp.resolve("none")).isEmpty());
  }
}
