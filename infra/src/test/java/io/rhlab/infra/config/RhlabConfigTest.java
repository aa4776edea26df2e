package io.rhlab.infra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RhlabConfigTest {
  @TempDir Path dir;

  @Test
  void from_emptyEnvironment_meansEverythingEmbedded() {
    RhlabConfig c = RhlabConfig.from(Map.of());
    assertTrue(c.temporal().embedded());
    assertNull(c.db());
    assertNull(c.s3());
    assertEquals("rhlab", c.bucket());
    assertEquals("default", c.temporal().namespace());
  }

  @Test
  void from_secretsComeFromFilesAndNeverPrint() throws Exception {
    Path secret = Files.writeString(dir.resolve("s3secret"), "s3cr3t-value\n");
    Path dbSecret = Files.writeString(dir.resolve("dbsecret"), "db-pa55");
    RhlabConfig c =
        RhlabConfig.from(
            Map.of(
                "RHLAB_S3_ENDPOINT", "https://minio.example:9000",
                "RHLAB_S3_SECRET_KEY_FILE", secret.toString(),
                "RHLAB_DB_URL", "jdbc:postgresql://db:5432/rhlab?sslmode=verify-full",
                "RHLAB_DB_PASSWORD_FILE", dbSecret.toString(),
                "RHLAB_TEMPORAL_ADDRESS", "ns.acct.tmprl.cloud:7233",
                "RHLAB_TEMPORAL_API_KEY", "key-123"));
    assertEquals("s3cr3t-value", c.s3().secretKey());
    assertEquals("db-pa55", c.db().password());
    assertEquals("key-123", c.temporal().apiKey());
    assertTrue(c.temporal().tls(), "an API key implies TLS");
    String printed = c.toString();
    assertFalse(printed.contains("s3cr3t-value") || printed.contains("db-pa55") || printed.contains("key-123"), printed);
  }

  @Test
  void from_badValues_nameTheVariable() {
    assertEquals(
        "RHLAB_DB_URL must start with jdbc:postgresql:, got mysql://x",
        assertThrows(ConfigException.class, () -> RhlabConfig.from(Map.of("RHLAB_DB_URL", "mysql://x"))).getMessage());
    assertEquals(
        "RHLAB_S3_SECRET_KEY (or RHLAB_S3_SECRET_KEY_FILE) is required with RHLAB_S3_ENDPOINT",
        assertThrows(ConfigException.class, () -> RhlabConfig.from(Map.of("RHLAB_S3_ENDPOINT", "http://m:9000"))).getMessage());
    assertEquals(
        "RHLAB_EMBEDDED_S3_PORT must be a port number in [0, 65535], got 70000",
        assertThrows(ConfigException.class, () -> RhlabConfig.from(Map.of("RHLAB_EMBEDDED_S3_PORT", "70000"))).getMessage());
    assertEquals(
        "set only one of RHLAB_DB_PASSWORD and RHLAB_DB_PASSWORD_FILE",
        assertThrows(ConfigException.class,
            () -> RhlabConfig.from(Map.of("RHLAB_DB_PASSWORD", "a", "RHLAB_DB_PASSWORD_FILE", "/x"))).getMessage());
    assertEquals(
        "RHLAB_TEMPORAL_TLS_CERT and RHLAB_TEMPORAL_TLS_KEY must be set together",
        assertThrows(ConfigException.class, () -> RhlabConfig.from(Map.of("RHLAB_TEMPORAL_TLS_CERT", "/c.pem"))).getMessage());
  }

  @Test
  void toEnvironment_roundTrips() {
    Map<String, String> env =
        Map.of(
            "RHLAB_HOME", dir.toString(),
            "RHLAB_TEMPORAL_ADDRESS", "127.0.0.1:7233",
            "RHLAB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres",
            "RHLAB_DB_PASSWORD", "pw",
            "RHLAB_S3_ENDPOINT", "http://127.0.0.1:9000",
            "RHLAB_S3_SECRET_KEY", "sk");
    RhlabConfig c = RhlabConfig.from(env);
    assertEquals(c, RhlabConfig.from(c.toEnvironment()));
  }

  @Test
  void tls_withCaFile_buildsAnSslContext() throws Exception {
    // A CA file that is not PEM is reported as a configuration error naming the problem.
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    TemporalSettings s = new TemporalSettings("h:7233", "ns", true, null, null, notPem.toString(), null);
    assertThrows(ConfigException.class, () -> io.rhlab.infra.temporal.TemporalClients.sslContext(s));
    SslContext plain = io.rhlab.infra.temporal.TemporalClients.sslContext(
        new TemporalSettings("h:7233", "ns", true, null, null, null, null));
    assertTrue(plain.isClient());
  }

  @Test
  void readme_documentsEveryVariable() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String name : RhlabConfig.DOCUMENTED.keySet()) {
      assertTrue(readme.contains("| `" + name + "` |"), name + " is missing from the README's table");
    }
  }

  @Test
  void everyVariableReadIsDocumented() throws Exception {
    // the names read by from(): a new setting without a DOCUMENTED entry (and README row) fails here
    String source = Files.readString(Path.of("src/main/java/io/rhlab/infra/config/RhlabConfig.java"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\br\\.\\w+\\(\"(RHLAB_[A-Z0-9_]+)\"").matcher(source);
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(RhlabConfig.DOCUMENTED.containsKey(m.group(1)), m.group(1) + " is read but not documented");
    }
    assertTrue(found >= 20, "found only " + found + " variables read");
  }

  @Test
  void abandonedUploadHours_defaultRangeAndError() {
    assertEquals(java.time.Duration.ofHours(24), RhlabConfig.from(Map.of()).abandonedUploadAge());
    assertEquals(java.time.Duration.ZERO,
        RhlabConfig.from(Map.of("RHLAB_S3_ABANDONED_UPLOAD_HOURS", "0")).abandonedUploadAge());
    assertEquals(
        "RHLAB_S3_ABANDONED_UPLOAD_HOURS must be an integer in [0, 8760], got -1",
        assertThrows(ConfigException.class,
            () -> RhlabConfig.from(Map.of("RHLAB_S3_ABANDONED_UPLOAD_HOURS", "-1"))).getMessage());
  }

  @Test
  void embeddedExports_leaveOutConfiguredServicesAndTheirSecrets() {
    RhlabConfig configured =
        RhlabConfig.from(Map.of("RHLAB_S3_ENDPOINT", "https://minio:9000", "RHLAB_S3_SECRET_KEY", "very-secret-1"));
    RhlabConfig live =
        configured.withServices(
            new TemporalSettings("127.0.0.1:7233", "default", false, null, null, null, null),
            new io.rhlab.db.DbSettings("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "postgres"),
            configured.s3());
    Map<String, String> exports = configured.embeddedExports(live);
    assertEquals("127.0.0.1:7233", exports.get("RHLAB_TEMPORAL_ADDRESS"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres", exports.get("RHLAB_DB_URL"));
    assertFalse(exports.containsKey("RHLAB_S3_ENDPOINT"));
    assertFalse(exports.toString().contains("very-secret-1"), exports.toString());
  }
}
