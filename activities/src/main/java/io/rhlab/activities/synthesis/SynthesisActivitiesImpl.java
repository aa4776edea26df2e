package io.rhlab.activities.synthesis;

import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.storage.StorageException;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.ArtifactStore.Artifact;
import io.rhlab.activities.stage.MemoizedStage;
import io.rhlab.activities.stage.StageRecorder;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisProgress;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.workflows.spec.TaskData;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a dataset part by part into the object store under {@code data/<stageKey>/}.
 *
 * <p>Resume: a part is registered in {@code artifacts} only after its bytes were read back and
 * hashed, so the registered, still-present leading parts are exactly what a retry may keep; the
 * attempt continues after them. The heartbeat carries the same count for the UI. Completion reads
 * every part back once more to hash the whole dataset, then writes the manifest.
 */
public final class SynthesisActivitiesImpl implements SynthesisActivities {
  static final String STAGE = "synthesize";
  static final String PART_KIND = "data-part";
  static final String MANIFEST_KIND = "data-manifest";
  /** A part larger than this is refused: the spec's estimate went wrong (twice its own cap). */
  static final long MAX_PART_BYTES = 512L << 20;

  private static final Logger log = LoggerFactory.getLogger(SynthesisActivitiesImpl.class);

  private final ObjectStore store;
  private final ArtifactStore artifacts;
  private final MemoizedStage stage;

  /** Measures the context budgets of text tasks. */
  private final TextTokenizer tokenizer;

  public SynthesisActivitiesImpl(ObjectStore store, ArtifactStore artifacts, MemoizedStage stage) {
    this(store, artifacts, stage, SyntheticTokenizer.withCorpusWords());
  }

  public SynthesisActivitiesImpl(ObjectStore store, ArtifactStore artifacts, MemoizedStage stage, TextTokenizer tokenizer) {
    this.store = store;
    this.artifacts = artifacts;
    this.stage = stage;
    this.tokenizer = tokenizer;
  }

  public static String partKey(String stageKey, int part) {
    return String.format("data/%s/part-%05d.jsonl", stageKey, part);
  }

  public static String manifestKey(String stageKey) {
    return "data/" + stageKey + "/manifest.json";
  }

  @Override
  public DatasetRef synthesize(SynthesisRequest r) {
    return stage.run(r.experimentId(), r.variant(), STAGE, r.stageKey(), DatasetRef.class,
        this::intact, SynthesisActivitiesImpl::withReused, recorder -> generate(r, recorder));
  }

  private DatasetRef generate(SynthesisRequest r, StageRecorder recorder) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    DatasetParts generator = DatasetParts.of(r.data(), tokenizer);
    int total = r.data().chunks();
    int from = verifiedPrefix(r.stageKey(), total);
    Integer heartbeat = ctx.getHeartbeatDetails(SynthesisProgress.class).map(SynthesisProgress::partsDone).orElse(null);
    log.info("{}/{} synthesize attempt {}: {} of {} parts already stored (last heartbeat: {})",
        r.experimentId(), r.variant(), ctx.getInfo().getAttempt(), from, total, heartbeat);
    recorder.begin(from, total);
    for (int p = from; p < total; p++) {
      byte[] bytes = generator.part(p);
      if (bytes.length > MAX_PART_BYTES) {
        // the spec's size estimate was exceeded: stop before the store fills
        throw ApplicationFailure.newNonRetryableFailure(
            "part " + p + " is " + bytes.length + " bytes, over the " + (MAX_PART_BYTES >> 20) + " MiB cap; lower examplesPerChunk",
            "PartTooLarge");
      }
      String key = partKey(r.stageKey(), p);
      String sha = store.putVerified(key, bytes, "application/x-ndjson");
      artifacts.record(artifact(r, key, PART_KIND, sha, bytes.length));
      recorder.progress(p + 1);
      ctx.heartbeat(new SynthesisProgress(p + 1, total));
    }
    return seal(r, generator, total);
  }

  /** Whether a completed dataset's manifest is still in the store, as registered. */
  private boolean intact(DatasetRef ref) {
    String key = store.key(ref.manifestUri());
    Optional<Artifact> manifest = artifacts.find(ref.manifestUri());
    return manifest.isPresent() && store.size(key).isPresent() && store.sha256(key).equals(manifest.get().sha256());
  }

  /** How many leading parts are registered and still present with their registered size. */
  private int verifiedPrefix(String stageKey, int total) {
    Map<String, Artifact> registered = new HashMap<>();
    for (Artifact a : artifacts.byStage(stageKey, PART_KIND)) {
      registered.put(a.uri(), a);
    }
    int p = 0;
    while (p < total) {
      String key = partKey(stageKey, p);
      Artifact a = registered.get(store.uri(key));
      if (a == null || !store.size(key).equals(Optional.of(a.bytes()))) {
        break;
      }
      p++;
    }
    return p;
  }

  /** Re-reads every part, checks it against its registered hash, hashes the whole, writes the manifest. */
  private DatasetRef seal(SynthesisRequest r, DatasetParts generator, int total) {
    MessageDigest whole = Sha256.digest();
    List<DatasetManifest.Part> parts = new ArrayList<>();
    long bytes = 0;
    for (int p = 0; p < total; p++) {
      String key = partKey(r.stageKey(), p);
      Artifact registered = artifacts.find(store.uri(key))
          .orElseThrow(() -> new StorageException(key + " is not registered"));
      MessageDigest part = Sha256.digest();
      long n = 0;
      try (InputStream in = new DigestInputStream(new DigestInputStream(store.get(key), part), whole)) {
        n = in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new StorageException("re-read " + key, e);
      }
      String sha = Sha256.hex(part);
      if (!sha.equals(registered.sha256())) {
        throw new StorageException(key + " changed after it was written: " + sha + " != " + registered.sha256());
      }
      parts.add(new DatasetManifest.Part(key, generator.partSize(p), n, sha));
      bytes += n;
    }
    TaskData spec = r.data();
    String sha = Sha256.hex(whole);
    DatasetManifest manifest =
        new DatasetManifest(r.stageKey(), spec.taskName(), spec, spec.examples(), bytes, sha, parts);
    String key = manifestKey(r.stageKey());
    byte[] manifestBytes = MemoizedStage.json(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String manifestSha = store.putVerified(key, manifestBytes, "application/json");
    artifacts.record(artifact(r, key, MANIFEST_KIND, manifestSha, manifestBytes.length));
    return new DatasetRef(store.uri(key), sha, spec.examples(), total, bytes, false);
  }

  private Artifact artifact(SynthesisRequest r, String key, String kind, String sha, long bytes) {
    return new Artifact(store.uri(key), kind, sha, bytes, r.experimentId(), r.variant(), STAGE, r.stageKey());
  }

  private static DatasetRef withReused(DatasetRef d) {
    return new DatasetRef(d.manifestUri(), d.sha256(), d.examples(), d.parts(), d.bytes(), true);
  }


}
