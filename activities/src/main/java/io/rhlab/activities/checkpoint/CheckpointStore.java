package io.rhlab.activities.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.storage.StorageException;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.ArtifactStore.Artifact;
import io.rhlab.db.CheckpointRecords;
import io.rhlab.db.CheckpointRecords.CheckpointRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint directories in the object store, under {@code ckpt/<stageKey>/step-NNNNNNNN/}.
 *
 * <p>Save order is what makes a half-written checkpoint harmless: every file is uploaded (in
 * parts when large) and read back against its sha256, then the manifest listing them is uploaded
 * and verified, and only then is the {@code checkpoints} row written. Load walks the rows newest
 * first and takes the first checkpoint whose manifest and files all match their hashes; a corrupt
 * or partial one is logged and skipped.
 */
public final class CheckpointStore {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String KIND = "checkpoint";

  private final ObjectStore store;
  private final CheckpointRecords records;
  private final ArtifactStore artifacts;

  public CheckpointStore(ObjectStore store, CheckpointRecords records, ArtifactStore artifacts) {
    this.store = store;
    this.records = records;
    this.artifacts = artifacts;
  }

  /** Who is writing: the artifact rows name the experiment, variant and stage. */
  public record Owner(String experimentId, String variant, String stage, String stageKey) {
    public String runId() {
      return experimentId + "/" + (variant.isEmpty() ? "base" : variant);
    }
  }

  /** A checkpoint fetched to local disk. */
  public record Loaded(long step, Path directory, String manifestUri, String manifestSha256) {}

  public static String prefix(String stageKey, long step) {
    return String.format("ckpt/%s/step-%08d/", stageKey, step);
  }

  /** Uploads every regular file of {@code dir}, then the manifest, then registers the checkpoint. */
  public CheckpointRow save(Owner owner, long step, Path dir) {
    String prefix = prefix(owner.stageKey(), step);
    List<CheckpointManifest.File> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      for (Path f : listing.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + f.getFileName();
        String sha = store.putFileVerified(key, f, "application/octet-stream");
        files.add(new CheckpointManifest.File(f.getFileName().toString(), key, Files.size(f), sha));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read checkpoint directory " + dir, e);
    }
    byte[] manifest = json(new CheckpointManifest(owner.stageKey(), owner.runId(), step, files));
    String manifestKey = prefix + "manifest.json";
    String manifestSha = store.putVerified(manifestKey, manifest, "application/json");
    artifacts.record(new Artifact(store.uri(manifestKey), KIND, manifestSha, manifest.length,
        owner.experimentId(), owner.variant(), owner.stage(), owner.stageKey()));
    CheckpointRow row = new CheckpointRow(owner.runId(), step, owner.stageKey(), store.uri(manifestKey), manifestSha);
    records.record(row);
    return row;
  }

  /** The newest intact checkpoint of a stage, downloaded into {@code into} (emptied first). */
  public Optional<Loaded> loadLatest(String stageKey, Path into) {
    for (CheckpointRow row : records.byStage(stageKey)) {
      try {
        return Optional.of(load(row.manifestUri(), row.manifestSha256(), into));
      } catch (StorageException | CorruptCheckpointException e) {
        log.warn("skipping checkpoint {} at step {}: {}", row.manifestUri(), row.step(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Downloads one checkpoint and verifies every file; throws if anything does not match. */
  public Loaded load(String manifestUri, String manifestSha256, Path into) {
    String manifestKey = store.key(manifestUri);
    byte[] manifestBytes = store.getBytes(manifestKey);
    if (!Sha256.of(manifestBytes).equals(manifestSha256)) {
      throw new CorruptCheckpointException(manifestUri + ": manifest does not match its registered sha256");
    }
    CheckpointManifest manifest = parse(manifestBytes);
    try {
      recreate(into);
      for (CheckpointManifest.File f : manifest.files()) {
        if (f.name().contains("/") || f.name().startsWith(".")) {
          throw new CorruptCheckpointException(manifestUri + ": unsafe file name " + f.name());
        }
        Path target = into.resolve(f.name());
        try (InputStream in = store.get(f.key())) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        String sha;
        try (InputStream in = Files.newInputStream(target)) {
          sha = Sha256.of(in);
        }
        if (!sha.equals(f.sha256()) || Files.size(target) != f.bytes()) {
          throw new CorruptCheckpointException(f.key() + ": sha256 " + sha + " != manifest " + f.sha256());
        }
      }
    } catch (IOException e) {
      throw new StorageException("download checkpoint " + manifestUri, e);
    }
    return new Loaded(manifest.step(), into, manifestUri, manifestSha256);
  }

  private static void recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  private static byte[] json(Object o) {
    try {
      return JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("plain records serialize", e);
    }
  }

  private static CheckpointManifest parse(byte[] bytes) {
    try {
      return JSON.readValue(bytes, CheckpointManifest.class);
    } catch (IOException e) {
      throw new CorruptCheckpointException("manifest is not valid JSON: " + e.getMessage());
    }
  }

  /** A checkpoint whose bytes do not match what was registered. */
  public static final class CorruptCheckpointException extends RuntimeException {
    public CorruptCheckpointException(String message) {
      super(message);
    }
  }
}
