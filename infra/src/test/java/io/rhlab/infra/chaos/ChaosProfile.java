package io.rhlab.infra.chaos;

import java.time.Duration;

/**
 * How hard the chaos suite pushes. The default (quick) profile keeps {@code ./mvnw verify} short;
 * {@code -Pchaos} (system property {@code rhlab.chaos=full}) runs the long version: more kills,
 * a one-minute storage outage, a crashed database.
 */
final class ChaosProfile {
  private ChaosProfile() {}

  static final boolean FULL = "full".equals(System.getProperty("rhlab.chaos", "quick"));

  /** Seed of every random choice (kill points); the table names it, a rerun repeats it. */
  static final long SEED = Long.getLong("rhlab.chaos.seed", 20240611L);

  static String name() {
    return FULL ? "full" : "quick";
  }

  /** Worker JVMs SIGKILLed at random points, one run each. */
  static int workerKills() {
    return FULL ? 6 : 1;
  }

  /** How long the S3 server stays down. */
  static Duration s3Outage() {
    return FULL ? Duration.ofSeconds(60) : Duration.ofSeconds(12);
  }

  /** How long PostgreSQL stays down between stop and start. */
  static Duration postgresOutage() {
    return FULL ? Duration.ofSeconds(30) : Duration.ofSeconds(3);
  }
}
