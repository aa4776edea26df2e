package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Rows of {@code experiments} and {@code variants}: what was asked for and how it ended. */
public final class ExperimentStore {
  private final DataSource db;

  public ExperimentStore(DataSource db) {
    this.db = db;
  }

  /** An experiment as listed by the CLI and dashboards. */
  public record ExperimentRow(String id, String name, String status, String specSha256, String error) {}

  /** A variant row. */
  public record VariantRow(String experimentId, String name, String status, String error) {}

  /**
   * Registers a (re)started experiment. A re-submission with the same id and spec marks it running
   * again; its finished stages stay and are skipped by their keys.
   */
  public void startExperiment(String id, String name, String specJson, String specSha256) {
    String sql =
        "INSERT INTO experiments (id, name, spec, spec_sha256, status) VALUES (?, ?, ?::jsonb, ?, 'running')"
            + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, spec = EXCLUDED.spec,"
            + " spec_sha256 = EXCLUDED.spec_sha256, status = 'running', updated_at = now(),"
            + " finished_at = NULL, error = NULL";
    update("start experiment " + id, sql, id, name, specJson, specSha256);
  }

  public void finishExperiment(String id, boolean succeeded, String error) {
    String sql =
        "UPDATE experiments SET status = ?, error = ?, finished_at = now(), updated_at = now() WHERE id = ?";
    update("finish experiment " + id, sql, succeeded ? "completed" : "failed", error, id);
  }

  public void startVariant(String experimentId, String name, String specJson) {
    String sql =
        "INSERT INTO variants (experiment_id, name, spec, status) VALUES (?, ?, ?::jsonb, 'running')"
            + " ON CONFLICT (experiment_id, name) DO UPDATE SET spec = EXCLUDED.spec,"
            + " status = 'running', finished_at = NULL, error = NULL";
    update("start variant " + experimentId + "/" + name, sql, experimentId, name, specJson);
  }

  public void finishVariant(String experimentId, String name, boolean succeeded, String error) {
    String sql =
        "UPDATE variants SET status = ?, error = ?, finished_at = now() WHERE experiment_id = ? AND name = ?";
    update(
        "finish variant " + experimentId + "/" + name,
        sql,
        succeeded ? "completed" : "failed",
        error,
        experimentId,
        name);
  }

  public Optional<ExperimentRow> find(String id) {
    String sql = "SELECT id, name, status, spec_sha256, error FROM experiments WHERE id = ?";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new ExperimentRow(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
      }
    } catch (SQLException e) {
      throw new DbException("find experiment " + id, e);
    }
  }

  /** The stored spec (canonical JSON, every default filled in) of an experiment, if it is known. */
  public Optional<String> spec(String id) {
    String sql = "SELECT spec::text FROM experiments WHERE id = ?";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DbException("read spec of experiment " + id, e);
    }
  }

  public List<VariantRow> variants(String experimentId) {
    String sql = "SELECT experiment_id, name, status, error FROM variants WHERE experiment_id = ? ORDER BY name";
    List<VariantRow> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, experimentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new VariantRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new DbException("list variants of " + experimentId, e);
    }
  }

  private void update(String what, String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException(what, e);
    }
  }
}
