package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.storage.Sha256;
import io.rhlab.activities.storage.StorageException;
import io.rhlab.workflows.activities.DatasetRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stored dataset back: the manifest, then every part, each checked against the hash the
 * manifest recorded. Training sets of the size rhlab makes fit in memory; the manifest's byte count
 * is checked against a cap before anything is read.
 */
public final class DatasetReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Larger datasets must be streamed; refuse rather than exhaust the heap. */
  static final long MAX_IN_MEMORY_BYTES = 2L << 30;

  private final ObjectStore store;

  public DatasetReader(ObjectStore store) {
    this.store = store;
  }

  public DatasetManifest manifest(DatasetRef ref) {
    byte[] bytes = store.getBytes(store.key(ref.manifestUri()));
    try {
      return JSON.readValue(bytes, DatasetManifest.class);
    } catch (IOException e) {
      throw new StorageException(ref.manifestUri() + " is not a dataset manifest: " + e.getMessage());
    }
  }

  /** Every example of a key-value retrieval dataset, in dataset order. */
  public List<KvExample> examples(DatasetRef ref) {
    return lines(ref, KvExample.class);
  }

  /**
   * Every example of a dataset of any task as the general record, in dataset order (key-value
   * lines through {@link KvExample#asTaskExample()}).
   */
  public List<TaskExample> taskExamples(DatasetRef ref) {
    if (manifest(ref).task().equals(io.rhlab.workflows.spec.KvRetrievalData.TASK)) {
      return examples(ref).stream().map(KvExample::asTaskExample).toList();
    }
    return lines(ref, TaskExample.class);
  }

  private <T> List<T> lines(DatasetRef ref, Class<T> type) {
    DatasetManifest manifest = manifest(ref);
    if (!manifest.sha256().equals(ref.sha256())) {
      throw new StorageException(ref.manifestUri() + " describes dataset " + manifest.sha256() + ", expected " + ref.sha256());
    }
    if (manifest.bytes() > MAX_IN_MEMORY_BYTES) {
      throw new IllegalArgumentException("dataset of " + manifest.bytes() + " bytes is too large to train from memory");
    }
    List<T> out = new ArrayList<>((int) manifest.examples());
    for (DatasetManifest.Part part : manifest.parts()) {
      byte[] bytes = store.getBytes(part.key());
      String sha = Sha256.of(bytes);
      if (!sha.equals(part.sha256())) {
        throw new StorageException(part.key() + ": sha256 " + sha + " != manifest " + part.sha256());
      }
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          try {
            out.add(JSON.readValue(line, type));
          } catch (IOException e) {
            throw new StorageException(part.key() + ": bad JSONL line: " + e.getMessage());
          }
        }
      }
    }
    return out;
  }
}
