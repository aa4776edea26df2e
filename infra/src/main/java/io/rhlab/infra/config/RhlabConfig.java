package io.rhlab.infra.config;

import io.rhlab.activities.storage.S3Settings;
import io.rhlab.db.DbSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of rhlab, read from the environment. A service whose address is unset is the
 * embedded one. Secrets come from a variable or from a file named by the same variable with a
 * {@code _FILE} suffix (how Kubernetes mounts secrets); they are never part of a spec.
 *
 * <p>The README's configuration table is {@link #DOCUMENTED}.
 */
public record RhlabConfig(
    Path home,
    TemporalSettings temporal,
    DbSettings db,
    S3Settings s3,
    Embedded embedded,
    Duration abandonedUploadAge) {

  /** Ports of the embedded services; 0 picks a free one. */
  public record Embedded(int temporalPort, int postgresPort, int s3Port) {}

  /** Variable, default, meaning: the configuration table. */
  public static final Map<String, String[]> DOCUMENTED = new LinkedHashMap<>();

  static {
    doc("RHLAB_HOME", ".rhlab", "Directory of the embedded services' data (PostgreSQL, S3 objects) and reports");
    doc("RHLAB_TEMPORAL_ADDRESS", "(embedded)", "host:port of a Temporal frontend; unset starts the embedded test server");
    doc("RHLAB_TEMPORAL_NAMESPACE", "default", "Temporal namespace");
    doc("RHLAB_TEMPORAL_TLS", "false", "Connect to Temporal with TLS (implied by a client cert or an API key)");
    doc("RHLAB_TEMPORAL_TLS_CERT", "", "PEM client certificate file for mTLS (e.g. Temporal Cloud)");
    doc("RHLAB_TEMPORAL_TLS_KEY", "", "PKCS8 PEM key file of the client certificate");
    doc("RHLAB_TEMPORAL_TLS_CA", "", "PEM CA bundle to trust for the Temporal server");
    doc("RHLAB_TEMPORAL_API_KEY", "", "Temporal API key (or RHLAB_TEMPORAL_API_KEY_FILE)");
    doc("RHLAB_DB_URL", "(embedded)", "JDBC URL of PostgreSQL, e.g. jdbc:postgresql://db:5432/rhlab?sslmode=verify-full");
    doc("RHLAB_DB_USER", "postgres", "Database user");
    doc("RHLAB_DB_PASSWORD", "", "Database password (or RHLAB_DB_PASSWORD_FILE)");
    doc("RHLAB_S3_ENDPOINT", "(embedded)", "S3 endpoint URL, e.g. https://minio:9000 (https enables TLS)");
    doc("RHLAB_S3_REGION", "us-east-1", "S3 region");
    doc("RHLAB_S3_ACCESS_KEY", "rhlab", "S3 access key");
    doc("RHLAB_S3_SECRET_KEY", "", "S3 secret key (or RHLAB_S3_SECRET_KEY_FILE)");
    doc("RHLAB_S3_BUCKET", "rhlab", "Bucket for data, checkpoints and reports");
    doc("RHLAB_S3_ABANDONED_UPLOAD_HOURS", "24", "A worker aborts incomplete multipart uploads under data/ and ckpt/ older than this at start (0: never); must exceed the longest upload of one object");
    doc("RHLAB_EMBEDDED_TEMPORAL_PORT", "0", "Port of the embedded Temporal server (0: any free port)");
    doc("RHLAB_EMBEDDED_POSTGRES_PORT", "0", "Port of the embedded PostgreSQL (0: any free port)");
    doc("RHLAB_EMBEDDED_S3_PORT", "0", "Port of the embedded S3 server (0: any free port)");
    doc("RHLAB_LOG_LEVEL", "INFO", "Log level of rhlab's own loggers (read by logback.xml)");
  }

  private static void doc(String name, String def, String meaning) {
    DOCUMENTED.put(name, new String[] {def, meaning});
  }

  /** Embedded-service credentials: local-only servers, so fixed values are fine. */
  public static final String EMBEDDED_S3_ACCESS_KEY = "rhlab";

  public static final String EMBEDDED_S3_SECRET_KEY = "rhlab-local-secret";

  public static RhlabConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** Reads the settings from a variable map (the process environment, or a test's). */
  public static RhlabConfig from(Map<String, String> env) {
    Reader r = new Reader(env);
    Path home = Path.of(r.get("RHLAB_HOME", ".rhlab")).toAbsolutePath();
    String certFile = r.get("RHLAB_TEMPORAL_TLS_CERT", null);
    String keyFile = r.get("RHLAB_TEMPORAL_TLS_KEY", null);
    if ((certFile == null) != (keyFile == null)) {
      throw new ConfigException("RHLAB_TEMPORAL_TLS_CERT and RHLAB_TEMPORAL_TLS_KEY must be set together");
    }
    String apiKey = r.secret("RHLAB_TEMPORAL_API_KEY");
    boolean tls = r.bool("RHLAB_TEMPORAL_TLS", false) || certFile != null || apiKey != null;
    TemporalSettings temporal =
        new TemporalSettings(
            r.get("RHLAB_TEMPORAL_ADDRESS", null),
            r.get("RHLAB_TEMPORAL_NAMESPACE", "default"),
            tls,
            certFile,
            keyFile,
            r.get("RHLAB_TEMPORAL_TLS_CA", null),
            apiKey);
    if (temporal.embedded() && tls) {
      throw new ConfigException("Temporal TLS settings need RHLAB_TEMPORAL_ADDRESS (the embedded server is plaintext on loopback)");
    }
    String dbUrl = r.get("RHLAB_DB_URL", null);
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("RHLAB_DB_URL must start with jdbc:postgresql:, got " + dbUrl);
    }
    String dbPassword = r.secret("RHLAB_DB_PASSWORD");
    DbSettings db =
        dbUrl == null
            ? null
            : new DbSettings(dbUrl, r.get("RHLAB_DB_USER", "postgres"), dbPassword == null ? "" : dbPassword);
    String s3Endpoint = r.get("RHLAB_S3_ENDPOINT", null);
    if (s3Endpoint != null && !s3Endpoint.matches("https?://.+")) {
      throw new ConfigException("RHLAB_S3_ENDPOINT must be an http:// or https:// URL, got " + s3Endpoint);
    }
    String bucket = r.get("RHLAB_S3_BUCKET", "rhlab");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException("RHLAB_S3_BUCKET is not a valid S3 bucket name: " + bucket);
    }
    String s3Secret = r.secret("RHLAB_S3_SECRET_KEY");
    if (s3Endpoint != null && s3Secret == null) {
      throw new ConfigException("RHLAB_S3_SECRET_KEY (or RHLAB_S3_SECRET_KEY_FILE) is required with RHLAB_S3_ENDPOINT");
    }
    S3Settings s3 =
        s3Endpoint == null
            ? null
            : new S3Settings(s3Endpoint, r.get("RHLAB_S3_REGION", "us-east-1"),
                r.get("RHLAB_S3_ACCESS_KEY", "rhlab"), s3Secret, bucket);
    Embedded embedded =
        new Embedded(
            r.port("RHLAB_EMBEDDED_TEMPORAL_PORT"),
            r.port("RHLAB_EMBEDDED_POSTGRES_PORT"),
            r.port("RHLAB_EMBEDDED_S3_PORT"));
    Duration uploadAge = Duration.ofHours(r.integer("RHLAB_S3_ABANDONED_UPLOAD_HOURS", 24, 0, 8760));
    return new RhlabConfig(home, temporal, db, s3, embedded, uploadAge);
  }

  /** The bucket name, whether the store is embedded or not. */
  public String bucket() {
    return s3 != null ? s3.bucket() : "rhlab";
  }

  /** A copy with the embedded services filled in by their real addresses. */
  public RhlabConfig withServices(TemporalSettings t, DbSettings d, S3Settings s) {
    return new RhlabConfig(home, t, d, s, embedded, abandonedUploadAge);
  }

  /** The variables that point another process (a worker, a CLI) at the same services. */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RHLAB_HOME", home.toString());
    if (temporal.address() != null) {
      env.put("RHLAB_TEMPORAL_ADDRESS", temporal.address());
    }
    env.put("RHLAB_TEMPORAL_NAMESPACE", temporal.namespace());
    env.put("RHLAB_S3_ABANDONED_UPLOAD_HOURS", Long.toString(abandonedUploadAge.toHours()));
    if (db != null) {
      env.put("RHLAB_DB_URL", db.jdbcUrl());
      env.put("RHLAB_DB_USER", db.user());
      env.put("RHLAB_DB_PASSWORD", db.password());
    }
    if (s3 != null) {
      env.put("RHLAB_S3_ENDPOINT", s3.endpoint());
      env.put("RHLAB_S3_REGION", s3.region());
      env.put("RHLAB_S3_ACCESS_KEY", s3.accessKey());
      env.put("RHLAB_S3_SECRET_KEY", s3.secretKey());
      env.put("RHLAB_S3_BUCKET", s3.bucket());
    }
    return env;
  }

  /**
   * The variables that point another process at the services this configuration left embedded,
   * as started ({@code live}). Services the user configured are left out, so their secrets are
   * never printed; the embedded services' credentials are fixed, local-only values.
   */
  public Map<String, String> embeddedExports(RhlabConfig live) {
    Map<String, String> all = live.toEnvironment();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RHLAB_HOME", all.get("RHLAB_HOME"));
    all.forEach((k, v) -> {
      boolean embedded =
          (k.startsWith("RHLAB_TEMPORAL_") && temporal.embedded())
              || (k.startsWith("RHLAB_DB_") && db == null)
              || (k.startsWith("RHLAB_S3_") && s3 == null);
      if (embedded) {
        env.put(k, v);
      }
    });
    return env;
  }

  /** Reads variables, resolving secrets from files, naming the variable in every error. */
  private static final class Reader {
    private final Map<String, String> env;

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String get(String name, String fallback) {
      String v = env.get(name);
      return v == null || v.isBlank() ? fallback : v.trim();
    }

    boolean bool(String name, boolean fallback) {
      String v = get(name, null);
      if (v == null) {
        return fallback;
      }
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new ConfigException(name + " must be true or false, got " + v);
      }
      return Boolean.parseBoolean(v);
    }

    int integer(String name, int fallback, int min, int max) {
      String v = get(name, Integer.toString(fallback));
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be an integer in [" + min + ", " + max + "], got " + v);
      }
    }

    int port(String name) {
      String v = get(name, "0");
      try {
        int p = Integer.parseInt(v);
        if (p < 0 || p > 65535) {
          throw new NumberFormatException();
        }
        return p;
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be a port number in [0, 65535], got " + v);
      }
    }

    /** NAME, or the trimmed content of the file named by NAME_FILE; never both. */
    String secret(String name) {
      String direct = get(name, null);
      String file = get(name + "_FILE", null);
      if (direct != null && file != null) {
        throw new ConfigException("set only one of " + name + " and " + name + "_FILE");
      }
      if (file == null) {
        return direct;
      }
      try {
        return Files.readString(Path.of(file)).trim();
      } catch (IOException e) {
        throw new ConfigException(name + "_FILE: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
  }
}
