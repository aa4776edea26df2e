package io.rhlab.infra.local;

import io.rhlab.db.DbSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server from the binaries that Maven Central ships (io.zonky.test), listening
 * on loopback, with its data kept under the rhlab home so a later `rhlab demo` or `recover` sees
 * earlier runs. PostgreSQL refuses to run as root; zonky starts initdb and postgres under
 * {@code unshare -U}, where root maps to an unprivileged user, which is how CI (root) runs it.
 */
public final class LocalPostgres implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private LocalPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static LocalPostgres start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1");
      if (port > 0) {
        b.setPort(port);
      }
      return new LocalPostgres(b.start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory, e);
    }
  }

  public DbSettings settings() {
    return new DbSettings(
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "postgres");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("stopping embedded PostgreSQL", e);
    }
  }
}
