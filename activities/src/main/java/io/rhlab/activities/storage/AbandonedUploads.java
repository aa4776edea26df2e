package io.rhlab.activities.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.MinioAsyncClient;
import io.minio.messages.ListMultipartUploadsResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Incomplete multipart uploads under rhlab's prefixes, and aborting the old ones. A worker killed
 * while it uploads a large file (a checkpoint goes up in 16 MiB parts) leaves the parts it sent in
 * the bucket, invisible to listings and billed like objects, until the upload is aborted.
 *
 * <p>An upload is never resumed: a retried attempt uploads its file again under a new upload id.
 * So an incomplete upload whose writer is gone is garbage. Its writer may also be a live worker on
 * another machine, though, which is why only uploads older than an age are aborted: the age must
 * exceed the longest time one object takes to upload.
 *
 * <p>The MinIO client keeps the S3 multipart calls on its asynchronous client; this class holds
 * one of its own.
 */
public final class AbandonedUploads implements AutoCloseable {
  /** The top-level prefixes rhlab writes under: datasets and checkpoints. Nothing else is touched. */
  public static final List<String> PREFIXES = List.of("data/", "ckpt/");

  /** One incomplete upload. */
  public record Upload(String key, String uploadId, Instant initiated) {}

  private final MinioAsyncClient client;
  private final String bucket;

  private AbandonedUploads(MinioAsyncClient client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  public static AbandonedUploads open(S3Settings s) {
    return new AbandonedUploads(
        MinioAsyncClient.builder()
            .endpoint(s.endpoint())
            .region(s.region())
            .credentials(s.accessKey(), s.secretKey())
            .build(),
        s.bucket());
  }

  /** Every incomplete upload whose key starts with {@code prefix}, page by page. */
  public List<Upload> list(String prefix) {
    List<Upload> uploads = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      ListMultipartUploadsArgs.Builder args = ListMultipartUploadsArgs.builder().bucket(bucket).prefix(prefix);
      if (keyMarker != null) {
        args.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
      }
      ListMultipartUploadsResult page =
          join("list incomplete uploads under " + prefix, client.listMultipartUploads(args.build())).result();
      for (ListMultipartUploadsResult.Upload u : page.uploads()) {
        uploads.add(new Upload(u.objectName(), u.uploadId(), u.initiated().toInstant()));
      }
      if (!page.isTruncated() || page.nextKeyMarker() == null) {
        return uploads;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
    }
  }

  /** The uploads under {@link #PREFIXES} initiated before {@code now - maxAge}. */
  public List<Upload> olderThan(Duration maxAge, Instant now) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0, got " + maxAge);
    }
    Instant cutoff = now.minus(maxAge);
    List<Upload> old = new ArrayList<>();
    for (String prefix : PREFIXES) {
      for (Upload u : list(prefix)) {
        if (u.initiated().isBefore(cutoff)) {
          old.add(u);
        }
      }
    }
    return old;
  }

  /** Aborts one upload: its parts are deleted and it can no longer complete. */
  public void abort(Upload u) {
    join("abort upload " + u.uploadId() + " of " + u.key(), client.abortMultipartUpload(
        AbortMultipartUploadArgs.builder().bucket(bucket).object(u.key()).uploadId(u.uploadId()).build()));
  }

  /**
   * Aborts the uploads under {@link #PREFIXES} that were initiated before {@code now - maxAge}, and
   * returns them. Younger uploads may belong to a live worker and are kept.
   */
  public List<Upload> abortOlderThan(Duration maxAge, Instant now) {
    List<Upload> old = olderThan(maxAge, now);
    old.forEach(this::abort);
    return old;
  }

  private static <T> T join(String what, CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StorageException(what + " failed: " + cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
