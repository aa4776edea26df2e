package io.rhlab.activities.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bucket that holds data, checkpoints and reports, reached only through the MinIO client so
 * the same code talks to MinIO, S3 or the embedded server. Writes are verified: the bytes are read
 * back and hashed before a caller may register them.
 */
public final class ObjectStore implements AutoCloseable {
  /** Large files go up in parts of this size (S3 allows 10,000 parts: 160 GB per object). */
  static final long PART_BYTES = 16L << 20;

  private final MinioClient client;
  private final String bucket;

  private ObjectStore(MinioClient client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  public static ObjectStore open(S3Settings s) {
    MinioClient client =
        MinioClient.builder()
            .endpoint(s.endpoint())
            .region(s.region())
            .credentials(s.accessKey(), s.secretKey())
            .build();
    return new ObjectStore(client, s.bucket());
  }

  /** Creates the bucket if it is missing. */
  public void ensureBucket() {
    call("create bucket " + bucket, () -> {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
      return null;
    });
  }

  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The key of an s3:// URI of this bucket; the inverse of {@link #uri}. */
  public String key(String uri) {
    String prefix = "s3://" + bucket + "/";
    if (!uri.startsWith(prefix)) {
      throw new IllegalArgumentException(uri + " is not in bucket " + bucket);
    }
    return uri.substring(prefix.length());
  }

  /** Writes bytes, reads them back, and returns their sha256 only if the two agree. */
  public String putVerified(String key, byte[] bytes, String contentType) {
    String sha = Sha256.of(bytes);
    call("put " + key, () -> client.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).data(bytes, bytes.length)
            .contentType(contentType).build()));
    verify(key, sha, bytes.length);
    return sha;
  }

  /** Uploads a file in parts (multipart above {@link #PART_BYTES}), verified like {@link #putVerified}. */
  public String putFileVerified(String key, Path file, String contentType) throws IOException {
    String sha;
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      sha = Sha256.of(in);
    }
    long size = java.nio.file.Files.size(file);
    call("upload " + key, () -> client.uploadObject(
        UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString(), PART_BYTES)
            .contentType(contentType).build()));
    verify(key, sha, size);
    return sha;
  }

  private void verify(String key, String expectedSha, long expectedBytes) {
    Optional<Long> size = size(key);
    if (size.isEmpty() || size.get() != expectedBytes) {
      throw new StorageException(key + ": stored size " + size.orElse(null) + " != " + expectedBytes);
    }
    String stored = sha256(key);
    if (!stored.equals(expectedSha)) {
      throw new StorageException(key + ": stored sha256 " + stored + " != written " + expectedSha);
    }
  }

  /** Opens an object for reading; the caller closes the stream. */
  public InputStream get(String key) {
    return call("get " + key, () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
  }

  public byte[] getBytes(String key) {
    try (InputStream in = get(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new StorageException("read " + key, e);
    }
  }

  /** Streams the object and hashes it. */
  public String sha256(String key) {
    try (InputStream in = get(key)) {
      return Sha256.of(in);
    } catch (IOException e) {
      throw new StorageException("hash " + key, e);
    }
  }

  /** The object's size, or empty if there is no such object. */
  public Optional<Long> size(String key) {
    try {
      return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
        return Optional.empty();
      }
      throw new StorageException("stat " + key, e);
    } catch (MinioException e) {
      throw new StorageException("stat " + key, e);
    }
  }

  /** Keys under a prefix, in the store's (lexicographic) order. */
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r : client.listObjects(
        ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      keys.add(call("list " + prefix, () -> r.get().objectName()));
    }
    return keys;
  }

  public void delete(String key) {
    call("delete " + key, () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
      return null;
    });
  }

  @Override
  public void close() {
    try {
      client.close(); // MinIO 9 holds an HTTP pool that otherwise keeps the JVM alive ~1 min
    } catch (Exception e) {
      throw new StorageException("close client", e);
    }
  }

  private interface Call<T> {
    T run() throws MinioException, IOException;
  }

  private static <T> T call(String what, Call<T> c) {
    try {
      return c.run();
    } catch (MinioException | IOException e) {
      throw new StorageException(what + " failed: " + e.getMessage(), e);
    }
  }
}
