package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** MLflow-like metrics: a value per (run, key, step); writing a step again overwrites it. */
public final class MetricStore {
  private final DataSource db;

  public MetricStore(DataSource db) {
    this.db = db;
  }

  /** A metric value at a step of a run. */
  public record Metric(String key, long step, double value) {}

  /** Writes a batch in one transaction; an upsert, so a retried batch never duplicates rows. */
  public void log(String runId, Iterable<Metric> metrics) {
    String sql =
        "INSERT INTO metrics (run_id, key, step, value) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (run_id, key, step) DO UPDATE SET value = EXCLUDED.value, recorded_at = now()";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      for (Metric m : metrics) {
        Sql.bind(ps, runId, m.key(), m.step(), m.value());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw new DbException("log metrics of " + runId, e);
    }
  }

  /** The series of one key, by step. */
  public Map<Long, Double> series(String runId, String key) {
    String sql = "SELECT step, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY step";
    Map<Long, Double> series = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, runId, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          series.put(rs.getLong(1), rs.getDouble(2));
        }
      }
      return series;
    } catch (SQLException e) {
      throw new DbException("read metric " + key + " of " + runId, e);
    }
  }
}
