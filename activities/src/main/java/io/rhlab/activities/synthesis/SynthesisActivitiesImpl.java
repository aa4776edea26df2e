package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.storage.StorageException;
import io.rhlab.db.ArtifactStore;
import io.rhlab.db.ArtifactStore.Artifact;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageAttempt;
import io.rhlab.workflows.activities.DatasetRef;
import io.rhlab.workflows.activities.SynthesisActivities;
import io.rhlab.workflows.activities.SynthesisProgress;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
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
  private static final Logger log = LoggerFactory.getLogger(SynthesisActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final StageRunStore stages;
  private final ArtifactStore artifacts;
  private final String worker;

  public SynthesisActivitiesImpl(
      ObjectStore store, StageRunStore stages, ArtifactStore artifacts, String worker) {
    this.store = store;
    this.stages = stages;
    this.artifacts = artifacts;
    this.worker = worker;
  }

  public static String partKey(String stageKey, int part) {
    return String.format("data/%s/part-%05d.jsonl", stageKey, part);
  }

  public static String manifestKey(String stageKey) {
    return "data/" + stageKey + "/manifest.json";
  }

  @Override
  public DatasetRef synthesize(SynthesisRequest r) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    ActivityInfo info = ctx.getInfo();
    StageAttempt attempt =
        new StageAttempt(r.experimentId(), r.variant(), STAGE, r.stageKey(), info.getRunId(),
            info.getActivityId(), info.getAttempt(), worker);

    Optional<DatasetRef> done = completed(r.stageKey());
    if (done.isPresent()) {
      DatasetRef reused = withReused(done.get());
      stages.recordSkipped(attempt, json(reused));
      return reused;
    }

    KvRetrievalGenerator generator = new KvRetrievalGenerator(r.data());
    int total = r.data().chunks();
    int from = verifiedPrefix(r.stageKey(), total);
    Integer heartbeat = ctx.getHeartbeatDetails(SynthesisProgress.class).map(SynthesisProgress::partsDone).orElse(null);
    log.info("{}/{} synthesize attempt {}: {} of {} parts already stored (last heartbeat: {})",
        r.experimentId(), r.variant(), info.getAttempt(), from, total, heartbeat);

    long row = stages.begin(attempt, from == 0 ? null : (long) from, (long) total);
    try {
      for (int p = from; p < total; p++) {
        byte[] bytes = generator.part(p);
        String key = partKey(r.stageKey(), p);
        String sha = store.putVerified(key, bytes, "application/x-ndjson");
        artifacts.record(artifact(r, key, PART_KIND, sha, bytes.length));
        stages.progress(row, p + 1, null);
        ctx.heartbeat(new SynthesisProgress(p + 1, total));
      }
      DatasetRef ref = seal(r, generator, total);
      stages.complete(row, json(ref));
      return ref;
    } catch (RuntimeException e) {
      try {
        stages.fail(row, e.toString());
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw e;
    }
  }

  /** The result of a completed run with this key, if its manifest is still intact. */
  private Optional<DatasetRef> completed(String stageKey) {
    Optional<String> result = stages.completedResult(stageKey);
    if (result.isEmpty()) {
      return Optional.empty();
    }
    DatasetRef ref = parse(result.get());
    String key = manifestKey(stageKey);
    Optional<Artifact> manifest = artifacts.find(store.uri(key));
    if (manifest.isEmpty() || store.size(key).isEmpty() || !store.sha256(key).equals(manifest.get().sha256())) {
      log.warn("completed dataset {} lost its manifest; generating it again", stageKey);
      return Optional.empty();
    }
    return Optional.of(ref);
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
  private DatasetRef seal(SynthesisRequest r, KvRetrievalGenerator generator, int total) {
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
    KvRetrievalData spec = r.data();
    String sha = Sha256.hex(whole);
    DatasetManifest manifest =
        new DatasetManifest(r.stageKey(), KvRetrievalData.TASK, spec, spec.examples(), bytes, sha, parts);
    String key = manifestKey(r.stageKey());
    byte[] manifestBytes = json(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain records serialize", e);
    }
  }

  private static DatasetRef parse(String json) {
    try {
      return JSON.readValue(json, DatasetRef.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored result is not a DatasetRef: " + json, e);
    }
  }
}
