package io.rhlab.infra.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rhlab.infra.local.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A commit the embedded PostgreSQL acknowledged survives a crash of the server (SIGKILL to the
 * postmaster, then crash recovery). zonky's defaults (synchronous_commit=off, fsync off) lost the
 * last ~0.5 s of commits; activities record parts and stage completions and then move on, so an
 * acknowledged row must stay.
 */
class PostgresCrashDurabilityTest {
  @Test
  void acknowledgedCommits_surviveAPostmasterSigkill() throws Exception {
    Path dir = Files.createTempDirectory("rhlab-pg-crash");
    try (LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres"), 0)) {
      var s = pg.settings();
      long acknowledged = 0;
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password())) {
        try (Statement st = c.createStatement()) {
          st.execute("CREATE TABLE acks (n bigint PRIMARY KEY)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acks VALUES (?)")) {
          for (long n = 1; n <= 500; n++) { // autocommit: each insert returns once committed
            ps.setLong(1, n);
            ps.executeUpdate();
            acknowledged = n;
          }
        }
      }
      pg.kill();
      pg.restart();
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM acks")) {
        rs.next();
        assertEquals(acknowledged, rs.getLong(1), "rows acknowledged as committed before the crash");
      }
    }
  }
}
