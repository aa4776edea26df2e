package io.rhlab.infra.local;

import io.rhlab.activities.storage.S3Settings;
import io.rhlab.db.DbSettings;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.config.TemporalSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Starts whichever services the configuration leaves unset - Temporal, PostgreSQL, S3 - on
 * loopback, and returns a configuration pointing at all of them. Services given by address are
 * used as they are.
 */
public final class LocalStack implements AutoCloseable {
  private final List<AutoCloseable> started;
  private final RhlabConfig config;

  private LocalStack(List<AutoCloseable> started, RhlabConfig config) {
    this.started = started;
    this.config = config;
  }

  private <T> Optional<T> startedService(Class<T> type) {
    return started.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The embedded Temporal server, if this stack started one (to kill and restart it in tests). */
  public Optional<LocalTemporalServer> temporal() {
    return startedService(LocalTemporalServer.class);
  }

  /** The embedded PostgreSQL, if this stack started one. */
  public Optional<LocalPostgres> postgres() {
    return startedService(LocalPostgres.class);
  }

  /** The embedded S3 server, if this stack started one. */
  public Optional<LocalS3> s3() {
    return startedService(LocalS3.class);
  }

  public static LocalStack start(RhlabConfig cfg) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      TemporalSettings temporal = cfg.temporal();
      if (temporal.embedded()) {
        LocalTemporalServer t = LocalTemporalServer.start(cfg.embedded().temporalPort());
        started.add(t);
        temporal = new TemporalSettings(t.address(), temporal.namespace(), false, null, null, null, null);
      }
      DbSettings db = cfg.db();
      if (db == null) {
        LocalPostgres pg = LocalPostgres.start(cfg.home().resolve("postgres"), cfg.embedded().postgresPort());
        started.add(pg);
        db = pg.settings();
      }
      S3Settings s3 = cfg.s3();
      if (s3 == null) {
        LocalS3 s = LocalS3.start(cfg.home().resolve("s3"), cfg.embedded().s3Port(), cfg.bucket(),
            RhlabConfig.EMBEDDED_S3_ACCESS_KEY, RhlabConfig.EMBEDDED_S3_SECRET_KEY);
        started.add(s);
        s3 = s.settings();
      }
      return new LocalStack(started, cfg.withServices(temporal, db, s3));
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  /** The configuration with every service's real address. */
  public RhlabConfig config() {
    return config;
  }

  public boolean startedAny() {
    return !started.isEmpty();
  }

  @Override
  public void close() {
    closeAll(started, null);
  }

  private static void closeAll(List<AutoCloseable> started, RuntimeException primary) {
    List<AutoCloseable> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        }
      }
    }
  }
}
