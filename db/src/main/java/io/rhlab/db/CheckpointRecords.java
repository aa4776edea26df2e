package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Rows of {@code checkpoints}: the authoritative resume points of training stages. A row is
 * written only after every file of the checkpoint and its manifest were uploaded and verified.
 */
public final class CheckpointRecords {
  private final DataSource db;

  public CheckpointRecords(DataSource db) {
    this.db = db;
  }

  /** A registered checkpoint. */
  public record CheckpointRow(
      String runId, long step, String stageKey, String manifestUri, String manifestSha256) {}

  public void record(CheckpointRow c) {
    String sql =
        "INSERT INTO checkpoints (run_id, step, stage_key, manifest_uri, manifest_sha256) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id, step) DO UPDATE SET stage_key = EXCLUDED.stage_key,"
            + " manifest_uri = EXCLUDED.manifest_uri, manifest_sha256 = EXCLUDED.manifest_sha256,"
            + " created_at = now()";
    try (Connection c2 = db.getConnection();
        PreparedStatement ps = c2.prepareStatement(sql)) {
      Sql.bind(ps, c.runId(), c.step(), c.stageKey(), c.manifestUri(), c.manifestSha256());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException("record checkpoint " + c.manifestUri(), e);
    }
  }

  /** The checkpoints of a stage key, newest (highest step) first. */
  public List<CheckpointRow> byStage(String stageKey) {
    String sql =
        "SELECT run_id, step, stage_key, manifest_uri, manifest_sha256 FROM checkpoints"
            + " WHERE stage_key = ? ORDER BY step DESC, created_at DESC";
    List<CheckpointRow> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, stageKey);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new CheckpointRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new DbException("list checkpoints of " + stageKey, e);
    }
  }
}
