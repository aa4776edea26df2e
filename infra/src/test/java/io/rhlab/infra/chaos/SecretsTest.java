package io.rhlab.infra.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.rhlab.infra.StackFixture;
import io.rhlab.infra.WorkerProcess;
import io.rhlab.infra.local.LocalS3;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.experiment.ExperimentWorkflowImpl;
import io.rhlab.workflows.spec.VariantSpec;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets given to a worker in its environment - the S3 secret key and the database password -
 * never reach anything the platform writes: not the workflow histories (every string and every
 * payload, decoded), not any column of any table, not the S3 objects, not the worker's log. Both
 * secrets are real: the S3 server checks request signatures with the key, and PostgreSQL checks
 * the password (SCRAM) of the worker's own role. A short S3 outage mid-run puts error paths - where
 * secrets usually leak - into the stage records and the histories too.
 */
class SecretsTest {
  static final String ROLE = "rhlab_worker";

  /** Distinctive, unguessable values per run. */
  static String secret(String label) {
    byte[] b = new byte[12];
    new Random(System.nanoTime()).nextBytes(b);
    return label + "-" + HexFormat.of().formatHex(b);
  }

  static final String S3_SECRET = secret("S3SECRET");
  static final String DB_PASSWORD = secret("DBPASSWORD");
  static LocalS3 s3;
  static StackFixture stack;

  /** An S3 server that checks signatures with the secret key, and a stack using it. */
  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(Files.createTempDirectory("rhlab-secret-s3"), 0, "rhlab", "rhlab-worker", S3_SECRET);
    stack = new StackFixture(Map.of(
        "RHLAB_S3_ENDPOINT", s3.settings().endpoint(),
        "RHLAB_S3_ACCESS_KEY", "rhlab-worker",
        "RHLAB_S3_SECRET_KEY", S3_SECRET));
    createPasswordRole(stack, DB_PASSWORD);
  }

  @AfterAll
  static void stop() {
    try {
      stack.close();
    } finally {
      s3.close();
    }
  }

  @Test
  void secretsInTheWorkersEnvironment_appearNowhere() throws Exception {
    String s3Secret = S3_SECRET;
    String dbPassword = DB_PASSWORD;
    Path logs = Files.createDirectories(Path.of("target", "chaos-logs"));
    Map<String, String> workerEnv = Map.of("RHLAB_DB_USER", ROLE, "RHLAB_DB_PASSWORD", dbPassword);
    Path log = logs.resolve("secrets-worker.log");
    ChaosExperiment x = new ChaosExperiment(stack, "secrets-1", 4242, 4000);
    ExperimentResult result;
    try (WorkerProcess worker = WorkerProcess.start(stack.config, log, workerEnv)) {
      x.submit();
      ChaosExperiment.await("part 3 of big", Duration.ofMinutes(2), () -> x.storedParts(ChaosExperiment.BIG) >= 3);
      assertTrue(x.count("SELECT count(*) FROM pg_stat_activity WHERE usename = ?", ROLE) > 0,
          "the worker is connected as its password role");
      s3.stop(); // failures with the key in use: errors go to stage_runs and the histories
      Thread.sleep(3000);
      s3.restart();
      result = x.result(Duration.ofMinutes(4));
    }
    assertEquals(2, result.variants().size());
    assertTrue(x.count("SELECT count(*) FROM stage_runs WHERE experiment_id = ? AND error IS NOT NULL", x.id) > 0,
        "the outage left errors in stage_runs to search");

    List<String> leaks = new ArrayList<>();
    // (1) workflow histories: the experiment and every child, every string and bytes field
    List<String> ids = new ArrayList<>(List.of(x.id));
    for (VariantSpec v : x.spec.variants()) {
      ids.add(ExperimentWorkflowImpl.variantWorkflowId(x.id, v.name()));
    }
    for (String id : ids) {
      WorkflowExecutionHistory h = stack.client.fetchHistory(id);
      StringBuilder text = new StringBuilder(h.toJson(true));
      h.getEvents().forEach(e -> strings(e, text));
      assertTrue(text.indexOf(x.id) >= 0, "positive control: the history names its experiment");
      leaks.addAll(find("history of " + id, text.toString(), s3Secret, dbPassword));
    }
    // (2) every column of every table in the public schema, as text
    leaks.addAll(searchDatabase(stack, x.id, s3Secret, dbPassword));
    // (3) every object in the bucket
    for (String key : stack.store.list("")) {
      leaks.addAll(find("s3://" + key, new String(stack.store.getBytes(key), StandardCharsets.UTF_8), s3Secret, dbPassword));
    }
    // (4) the worker's log (stdout and stderr)
    String workerLog = Files.readString(log);
    assertTrue(workerLog.contains("worker ready") && workerLog.contains(x.id), "positive control: the log is the worker's");
    leaks.addAll(find("worker log", workerLog, s3Secret, dbPassword));
    assertTrue(leaks.isEmpty(), "secrets leaked:\n" + String.join("\n", leaks));
  }

  /**
   * A worker that starts a local service itself (here: Temporal, because RHLAB_TEMPORAL_ADDRESS
   * is unset) while given an external database and S3 server must not print their secrets.
   */
  @Test
  void workerStartingLocalServices_doesNotPrintExternalSecrets() throws Exception {
    String s3Secret = S3_SECRET;
    String dbPassword = DB_PASSWORD;
    Path log = Files.createDirectories(Path.of("target", "chaos-logs")).resolve("secrets-embedded-temporal.log");
    Map<String, String> env = Map.of("RHLAB_DB_USER", ROLE, "RHLAB_DB_PASSWORD", dbPassword, "RHLAB_TEMPORAL_ADDRESS", "");
    try (WorkerProcess worker = WorkerProcess.start(stack.config, log, env)) {
      List<String> leaks = find("worker log", Files.readString(log), s3Secret, dbPassword);
      assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }
  }

  /**
   * A login role for the worker whose password PostgreSQL really checks: SCRAM for this role on
   * loopback, ahead of zonky's trust rules, and a wrong password is refused.
   */
  static void createPasswordRole(StackFixture stack, String password) throws Exception {
    try (Connection c = stack.db.connection(); Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
      s.execute("GRANT ALL ON SCHEMA public TO " + ROLE);
      s.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + ROLE);
      s.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + ROLE);
      String hba;
      try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = rs.getString(1);
      }
      Path file = Path.of(hba);
      Files.writeString(file, "host all " + ROLE + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(file));
      s.execute("SELECT pg_reload_conf()");
    }
    String url = stack.config.db().jdbcUrl();
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url, ROLE, "wrong").close(), "the password is checked");
    DriverManager.getConnection(url, ROLE, password).close();
  }

  /** Every column of every table of the public schema, cast to text, searched in SQL. */
  static List<String> searchDatabase(StackFixture stack, String experimentId, String... secrets) throws SQLException {
    List<String> leaks = new ArrayList<>();
    List<String[]> columns = new ArrayList<>();
    try (Connection c = stack.db.connection()) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT c.table_name, c.column_name FROM information_schema.columns c"
              + " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
              + " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1, 2")) {
        while (rs.next()) {
          columns.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      assertTrue(columns.size() > 40, "the schema's columns: " + columns.size());
      long controlHits = 0;
      for (String[] col : columns) {
        String sql = "SELECT count(*) FROM \"" + col[0] + "\" WHERE strpos(\"" + col[1] + "\"::text, ?) > 0";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (String secret : secrets) {
            ps.setString(1, secret);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                leaks.add(col[0] + "." + col[1] + ": " + rs.getLong(1) + " rows contain " + secret);
              }
            }
          }
          ps.setString(1, experimentId);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            controlHits += rs.getLong(1);
          }
        }
      }
      assertTrue(controlHits > 10, "positive control: the same search finds the experiment id (" + controlHits + " hits)");
    }
    return leaks;
  }

  /** Appends every string and every bytes field (as UTF-8) of a protobuf message, recursively. */
  static void strings(Message m, StringBuilder out) {
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      Object v = f.getValue();
      for (Object item : v instanceof List<?> l ? l : List.of(v)) {
        if (item instanceof Message nested) {
          strings(nested, out);
        } else if (item instanceof ByteString b) {
          out.append('\n').append(b.toStringUtf8());
        } else {
          out.append('\n').append(item);
        }
      }
    }
  }

  static List<String> find(String where, String text, String... secrets) {
    List<String> found = new ArrayList<>();
    for (String s : secrets) {
      if (text.contains(s)) {
        int i = text.indexOf(s);
        found.add(where + ": ..." + text.substring(Math.max(0, i - 80), Math.min(text.length(), i + s.length() + 20)).replace('\n', ' ') + "...");
      }
    }
    return found;
  }
}
