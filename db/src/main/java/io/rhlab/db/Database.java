package io.rhlab.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** A pooled connection to the metrics database, with the schema migrated on demand. */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens a small pool; connections are made lazily, so an unreachable server fails on use. */
  public static Database open(DbSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setPoolName("rhlab");
    // Start even while PostgreSQL is down (a restart mid-run): activities retry their writes.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(10_000);
    return new Database(new HikariDataSource(config));
  }

  /** Applies pending Flyway migrations; safe to call from every worker at start. */
  public MigrateResult migrate() {
    return migrate(dataSource);
  }

  /** Applies the rhlab migrations to any data source. */
  public static MigrateResult migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
