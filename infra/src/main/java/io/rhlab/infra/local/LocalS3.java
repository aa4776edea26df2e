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
 *
 * <p>The server can be stopped and started again on the same port and directory (fault-injection
 * tests): the objects stay, clients see connection refused in between.
 */
public final class LocalS3 implements AutoCloseable {
  private final Path directory;
  private final S3Settings settings;
  private S3Proxy proxy; // null while stopped

  private LocalS3(Path directory, S3Proxy proxy, S3Settings settings) {
    this.directory = directory;
    this.proxy = proxy;
    this.settings = settings;
  }

  public static LocalS3 start(Path directory, int port, String bucket, String accessKey, String secretKey) {
    try {
      int bound = port > 0 ? port : freePort();
      URI endpoint = URI.create("http://127.0.0.1:" + bound);
      S3Settings settings = new S3Settings(endpoint.toString(), "us-east-1", accessKey, secretKey, bucket);
      return new LocalS3(directory, launch(directory, settings), settings);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port for the embedded S3 server", e);
    }
  }

  private static S3Proxy launch(Path directory, S3Settings s) {
    try {
      Files.createDirectories(directory);
      Properties props = new Properties();
      props.setProperty("jclouds.filesystem.basedir", directory.toString());
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(BlobStores.create("filesystem-nio2", props))
              .endpoint(URI.create(s.endpoint()))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, s.accessKey(), s.secretKey())
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(20);
      }
      return proxy;
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

  public Path directory() {
    return directory;
  }

  public synchronized boolean running() {
    return proxy != null;
  }

  /** Stops serving; requests are refused until {@link #restart()}. The objects stay on disk. */
  public synchronized void stop() {
    if (proxy != null) {
      S3Proxy p = proxy;
      proxy = null;
      try {
        p.stop();
      } catch (Exception e) {
        throw new IllegalStateException("stopping embedded S3 server", e);
      }
    }
  }

  /** Serves again on the same port and directory; stops first if it runs. */
  public synchronized void restart() {
    stop();
    proxy = launch(directory, settings);
  }

  @Override
  public synchronized void close() {
    stop();
  }
}
