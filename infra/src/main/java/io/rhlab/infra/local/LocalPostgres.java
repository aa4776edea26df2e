package io.rhlab.infra.local;

import io.rhlab.db.DbSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from the binaries that Maven Central ships (io.zonky.test), listening
 * on loopback, with its data kept under the rhlab home so a later `rhlab demo` or `recover` sees
 * earlier runs. PostgreSQL refuses to run as root; zonky starts initdb and postgres under
 * {@code unshare -U}, where root maps to an unprivileged user, which is how CI (root) runs it.
 *
 * <p>The server can be stopped, crashed and started again on the same port and data directory
 * (fault-injection tests); clients see a server that went away and came back.
 */
public final class LocalPostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres postgres; // null while stopped

  private LocalPostgres(Path dataDirectory, EmbeddedPostgres postgres) {
    this.dataDirectory = dataDirectory;
    this.postgres = postgres;
    this.port = postgres.getPort();
  }

  public static LocalPostgres start(Path dataDirectory, int port) {
    return new LocalPostgres(dataDirectory, launch(dataDirectory, port));
  }

  private static EmbeddedPostgres launch(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              // zonky's defaults are for throw-away test databases: synchronous_commit=off and
              // fsync off (-F). Ours holds days of progress, and a crashed server then forgot rows
              // committed in its last ~0.5 s (chaos suite: 18 artifacts rows before SIGKILL, 14
              // after recovery). Commits must be durable before an activity reports them.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on");
      if (port > 0) {
        b.setPort(port);
      }
      return b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory, e);
    }
  }

  public DbSettings settings() {
    return new DbSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public synchronized boolean running() {
    return postgres != null;
  }

  /** Stops the server cleanly (pg_ctl stop, fast mode: open sessions are disconnected). */
  public synchronized void stop() {
    if (postgres != null) {
      EmbeddedPostgres p = postgres;
      postgres = null;
      closeQuietly(p);
    }
  }

  /**
   * Crashes the server: SIGKILL to the postmaster, as a lost machine would. The next
   * {@link #restart()} runs PostgreSQL's crash recovery.
   */
  public synchronized void kill() {
    if (postgres == null) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroyForcibly();
        p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
      });
    } catch (IOException e) {
      throw new UncheckedIOException("reading the postmaster pid in " + dataDirectory, e);
    }
    EmbeddedPostgres p = postgres;
    postgres = null;
    closeQuietly(p); // releases zonky's lock on the data directory; pg_ctl stop finds nothing to stop
  }

  /** Starts the server again on the same port and data directory; stops it first if it runs. */
  public synchronized void restart() {
    stop();
    postgres = launch(dataDirectory, port);
  }

  @Override
  public synchronized void close() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException("stopping embedded PostgreSQL", e);
      } finally {
        postgres = null;
      }
    }
  }

  private static void closeQuietly(EmbeddedPostgres p) {
    try {
      p.close();
    } catch (IOException e) {
      // zonky logs a failed pg_ctl stop itself; the lock is released either way
    }
  }
}
