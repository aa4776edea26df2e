package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Rows of {@code artifacts}: objects whose bytes were written and verified by their sha256. */
public final class ArtifactStore {
  private final DataSource db;

  public ArtifactStore(DataSource db) {
    this.db = db;
  }

  /** One verified object in the store. */
  public record Artifact(
      String uri,
      String kind,
      String sha256,
      long bytes,
      String experimentId,
      String variant,
      String stage,
      String stageKey) {}

  /** Registers an object; re-registering the same uri (a retried attempt) replaces the row. */
  public void record(Artifact a) {
    String sql =
        "INSERT INTO artifacts (uri, kind, sha256, bytes, experiment_id, variant, stage, stage_key)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uri) DO UPDATE SET kind = EXCLUDED.kind,"
            + " sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, experiment_id = EXCLUDED.experiment_id,"
            + " variant = EXCLUDED.variant, stage = EXCLUDED.stage, stage_key = EXCLUDED.stage_key,"
            + " created_at = now()";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(
          ps, a.uri(), a.kind(), a.sha256(), a.bytes(), a.experimentId(), a.variant(), a.stage(),
          a.stageKey());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException("record artifact " + a.uri(), e);
    }
  }

  public Optional<Artifact> find(String uri) {
    List<Artifact> found = query("SELECT " + COLUMNS + " FROM artifacts WHERE uri = ?", uri);
    return found.stream().findFirst();
  }

  /** The artifacts of one stage key and kind, ordered by uri (part files sort by index). */
  public List<Artifact> byStage(String stageKey, String kind) {
    return query(
        "SELECT " + COLUMNS + " FROM artifacts WHERE stage_key = ? AND kind = ? ORDER BY uri",
        stageKey,
        kind);
  }

  public List<Artifact> byExperiment(String experimentId) {
    return query(
        "SELECT " + COLUMNS + " FROM artifacts WHERE experiment_id = ? ORDER BY variant, uri",
        experimentId);
  }

  private static final String COLUMNS =
      "uri, kind, sha256, bytes, experiment_id, variant, stage, stage_key";

  private List<Artifact> query(String sql, Object... args) {
    List<Artifact> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Artifact(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new DbException("query artifacts", e);
    }
  }
}
