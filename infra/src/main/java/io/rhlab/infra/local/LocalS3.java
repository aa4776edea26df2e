package io.rhlab.infra.local;

import io.rhlab.activities.storage.S3Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * An S3-compatible server (s3proxy, filesystem-backed) on loopback. rhlab reaches it only through
 * the MinIO client with signed requests, exactly as it reaches MinIO in production.
 */
public final class LocalS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final S3Settings settings;

  private LocalS3(S3Proxy proxy, S3Settings settings) {
    this.proxy = proxy;
    this.settings = settings;
  }

  public static LocalS3 start(Path directory, int port, String bucket, String accessKey, String secretKey) {
    try {
      Files.createDirectories(directory);
      Properties props = new Properties();
      props.setProperty("jclouds.filesystem.basedir", directory.toString());
      int bound = port > 0 ? port : freePort();
      URI endpoint = URI.create("http://127.0.0.1:" + bound);
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(BlobStores.create("filesystem-nio2", props))
              .endpoint(endpoint)
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(20);
      }
      return new LocalS3(proxy, new S3Settings(endpoint.toString(), "us-east-1", accessKey, secretKey, bucket));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 server did not start in " + directory, e);
    }
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public S3Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping embedded S3 server", e);
    }
  }
}
