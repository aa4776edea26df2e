package io.rhlab.db;

import java.util.Objects;

/**
 * Where the metrics database is. The password never appears in {@link #toString()}.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/rhlab?sslmode=verify-full}
 */
public record DbSettings(String jdbcUrl, String user, String password) {
  public DbSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "DbSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
  }
}
