package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.CreateMultipartUploadArgs;
import io.minio.MinioAsyncClient;
import io.minio.UploadPartArgs;
import io.rhlab.activities.checkpoint.CheckpointStore;
import io.rhlab.activities.storage.AbandonedUploads;
import io.rhlab.activities.storage.AbandonedUploads.Upload;
import io.rhlab.activities.synthesis.SynthesisActivitiesImpl;
import io.rhlab.infra.local.LocalS3;
import io.rhlab.infra.worker.RhlabWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incomplete multipart uploads on the embedded S3 server (s3proxy's filesystem store lists them,
 * with the upload's creation time as "Initiated"), started and abandoned through the MinIO client
 * exactly as a worker killed mid-upload leaves them.
 */
class AbandonedUploadsTest {
  static StackFixture stack;
  static MinioAsyncClient s3;

  @BeforeAll
  static void start() {
    stack = new StackFixture();
    var s = stack.config.s3();
    s3 = MinioAsyncClient.builder().endpoint(s.endpoint()).region(s.region()).credentials(s.accessKey(), s.secretKey()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    stack.close();
  }

  @Test
  void abortOlderThan_abortsOldUploadsUnderOurPrefixesOnly() throws Exception {
    String old = begin("ckpt/k1/step-00000010/model.safetensors");
    backdate(old, Duration.ofDays(2));
    String young = begin("data/k2/part-00000.jsonl");
    String foreign = begin("elsewhere/k3.bin");
    backdate(foreign, Duration.ofDays(2));
    try (AbandonedUploads uploads = AbandonedUploads.open(stack.config.s3())) {
      assertEquals(List.of(old), ids(uploads.list("ckpt/k1/")), "the store lists the incomplete upload");
      Instant initiated = uploads.list("ckpt/k1/").get(0).initiated();
      assertTrue(initiated.isBefore(Instant.now().minus(Duration.ofDays(1))), "initiated " + initiated);

      List<Upload> aborted = uploads.abortOlderThan(Duration.ofHours(24), Instant.now());

      assertEquals(List.of(old), ids(aborted));
      assertEquals(List.of(), uploads.list("ckpt/k1/"));
      assertEquals(List.of(young), ids(uploads.list("data/k2/")), "a young upload may be a live worker's");
      assertEquals(List.of(foreign), ids(uploads.list("elsewhere/")), "not under rhlab's prefixes");
      assertEquals(0, filesNaming(old), "the aborted upload's parts are deleted");
    }
  }

  @Test
  void workerStart_abortsAnUploadAbandonedByACrashedWorker() throws Exception {
    String abandoned = begin("data/k4/part-00003.jsonl");
    backdate(abandoned, Duration.ofHours(25));
    assertEquals(24, stack.config.abandonedUploadAge().toHours(), "the default age");
    try (RhlabWorker worker = RhlabWorker.start(stack.config);
        AbandonedUploads uploads = AbandonedUploads.open(stack.config.s3())) {
      assertEquals(List.of(), uploads.list("data/k4/"));
    }
  }

  @Test
  void cleanUploadsCommand_dryRunListsThenAbortsOldOnes() throws Exception {
    String old = begin("ckpt/k5/step-00000005/optimizer.safetensors");
    backdate(old, Duration.ofHours(3));
    String young = begin("ckpt/k6/step-00000005/optimizer.safetensors");
    try (AbandonedUploads uploads = AbandonedUploads.open(stack.config.s3())) {
      CliProcess.Run dry = CliProcess.run(stack.config, "clean-uploads", "--older-than-hours", "2", "--dry-run");
      assertEquals(0, dry.exitCode(), dry.output());
      assertTrue(dry.output().contains("would abort ckpt/k5/step-00000005/optimizer.safetensors  upload " + old), dry.output());
      assertEquals(List.of(old), ids(uploads.list("ckpt/k5/")), "a dry run aborts nothing");

      CliProcess.Run real = CliProcess.run(stack.config, "clean-uploads", "--older-than-hours", "2");
      assertEquals(0, real.exitCode(), real.output());
      assertTrue(real.output().contains("aborted ckpt/k5/step-00000005/optimizer.safetensors  upload " + old), real.output());
      assertEquals(List.of(), uploads.list("ckpt/k5/"));
      assertEquals(List.of(young), ids(uploads.list("ckpt/k6/")));

      CliProcess.Run bad = CliProcess.run(stack.config, "clean-uploads", "--older-than-hours", "0");
      assertEquals(2, bad.exitCode(), bad.output());
      assertTrue(bad.output().contains("--older-than-hours must be an integer in [1, 8760], got 0"), bad.output());
    }
  }

  @Test
  void prefixes_coverEveryKeyRhlabWrites() {
    String key = "a".repeat(64);
    for (String written : List.of(SynthesisActivitiesImpl.partKey(key, 7), SynthesisActivitiesImpl.manifestKey(key),
        CheckpointStore.prefix(key, 40) + "model.safetensors")) {
      assertTrue(AbandonedUploads.PREFIXES.stream().anyMatch(written::startsWith), written);
    }
  }

  /** Starts a multipart upload, sends one part, and abandons it; returns its upload id. */
  private static String begin(String key) {
    String bucket = stack.config.bucket();
    String id = s3.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket).object(key).build())
        .join().result().uploadId();
    byte[] part = new byte[1 << 20];
    s3.uploadPart(UploadPartArgs.builder().bucket(bucket).object(key).uploadId(id).partNumber(1)
        .data(part, part.length).build()).join();
    return id;
  }

  /**
   * Makes an upload look {@code age} old. s3proxy's filesystem store reports as an upload's
   * initiation time the modification time of the stub file it writes when the upload is created
   * ({@code .mpus-<uploadId>-<key>-stub}); an old upload cannot be made through the S3 API.
   */
  private static void backdate(String uploadId, Duration age) throws IOException {
    Path dir = stack.stack.s3().map(LocalS3::directory).orElseThrow();
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> stubs = files.filter(p -> p.toString().contains(uploadId) && p.toString().endsWith("-stub")).toList();
      assertEquals(1, stubs.size(), "stub of " + uploadId + ": " + stubs);
      Files.setLastModifiedTime(stubs.get(0), FileTime.from(Instant.now().minus(age)));
    }
  }

  private static long filesNaming(String uploadId) throws IOException {
    Path dir = stack.stack.s3().map(LocalS3::directory).orElseThrow();
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> Files.isRegularFile(p) && p.toString().contains(uploadId)).count();
    }
  }

  private static List<String> ids(List<Upload> uploads) {
    return uploads.stream().map(Upload::uploadId).toList();
  }
}
