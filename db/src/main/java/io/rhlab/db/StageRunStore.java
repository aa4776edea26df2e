package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Rows of {@code stage_runs}: one per activity attempt, keyed by (workflow run, activity id,
 * attempt) so that a repeated write of the same attempt updates instead of duplicating.
 */
public final class StageRunStore {
  /**
   * An attempt whose row was not updated for this long is presumed dead (its worker was lost) and
   * may be taken over. Attempts update their row at every unit of progress, well within the
   * heartbeat timeouts (20-30 s) after which Temporal itself would give up on them.
   */
  public static final java.time.Duration DEFAULT_LIVENESS = java.time.Duration.ofSeconds(15);

  private final DataSource db;
  private final java.time.Duration liveness;

  public StageRunStore(DataSource db) {
    this(db, DEFAULT_LIVENESS);
  }

  public StageRunStore(DataSource db, java.time.Duration liveness) {
    this.db = db;
    this.liveness = liveness;
  }

  /** Identifies one attempt of one stage. */
  public record StageAttempt(
      String experimentId,
      String variant,
      String stage,
      String stageKey,
      String workflowRunId,
      String activityId,
      int attempt,
      String worker) {}

  /** A stage_runs row as the CLI shows it. */
  public record StageRunRow(
      long id,
      String variant,
      String stage,
      String stageKey,
      int attempt,
      String status,
      String worker,
      Long resumedFrom,
      long progressDone,
      Long progressTotal,
      Instant startedAt,
      Instant finishedAt,
      String error) {}

  /**
   * Records that an attempt started, resuming after {@code resumedFrom} progress units (null for a
   * fresh start), and returns its row id. Other attempts of the same stage key still marked running
   * are abandoned if they look dead (no update within the liveness window); if one is alive - a
   * worker that lost its Temporal server but still runs, or an identical stage of another variant -
   * this throws {@link StageBusyException} and nothing is written. A transaction-scoped advisory
   * lock on the stage key makes the check and the insert atomic between concurrent attempts.
   */
  public long begin(StageAttempt a, Long resumedFrom, Long progressTotal) {
    String others =
        "SELECT id, worker, updated_at > now() - make_interval(secs => ?) FROM stage_runs"
            + " WHERE stage_key = ? AND status = 'running'"
            + " AND NOT (workflow_run_id = ? AND activity_id = ? AND attempt = ?)";
    String abandon =
        "UPDATE stage_runs SET status = 'abandoned', updated_at = now(), finished_at = now()"
            + " WHERE stage_key = ? AND status = 'running'"
            + " AND NOT (workflow_run_id = ? AND activity_id = ? AND attempt = ?)";
    String insert =
        "INSERT INTO stage_runs (experiment_id, variant, stage, stage_key, workflow_run_id, activity_id,"
            + " attempt, status, worker, resumed_from, progress_done, progress_total)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)"
            + " ON CONFLICT (workflow_run_id, activity_id, attempt) DO UPDATE SET status = 'running',"
            + " worker = EXCLUDED.worker, resumed_from = EXCLUDED.resumed_from,"
            + " progress_done = EXCLUDED.progress_done, updated_at = now(), finished_at = NULL, error = NULL"
            + " RETURNING id";
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
          lock.setString(1, a.stageKey());
          lock.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement(others)) {
          Sql.bind(ps, liveness.toMillis() / 1000.0, a.stageKey(), a.workflowRunId(), a.activityId(), a.attempt());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (rs.getBoolean(3)) {
                throw new StageBusyException("stage " + a.stage() + " (" + a.stageKey().substring(0, 12)
                    + ") is running in attempt row " + rs.getLong(1) + " on " + rs.getString(2));
              }
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(abandon)) {
          Sql.bind(ps, a.stageKey(), a.workflowRunId(), a.activityId(), a.attempt());
          ps.executeUpdate();
        }
        // After the abandon: an attempt that completed before it (an orphan finishing between this
        // attempt's memo check and here) is visible now, and this attempt must reuse it, not redo it.
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT id FROM stage_runs WHERE stage_key = ? AND status = 'completed' LIMIT 1")) {
          Sql.bind(ps, a.stageKey());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              throw new StageBusyException("stage " + a.stage() + " (" + a.stageKey().substring(0, 12)
                  + ") was completed meanwhile by attempt row " + rs.getLong(1) + "; the retry reuses it");
            }
          }
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement(insert)) {
          Sql.bind(
              ps,
              a.experimentId(),
              a.variant(),
              a.stage(),
              a.stageKey(),
              a.workflowRunId(),
              a.activityId(),
              a.attempt(),
              a.worker(),
              resumedFrom,
              resumedFrom == null ? 0L : resumedFrom,
              progressTotal);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
          }
        }
        c.commit();
        return id;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DbException("begin stage " + a.stage() + " of " + a.experimentId(), e);
    }
  }

  /** Records a stage that was skipped because its key already had a completed result. */
  public void recordSkipped(StageAttempt a, String resultJson) {
    String sql =
        "INSERT INTO stage_runs (experiment_id, variant, stage, stage_key, workflow_run_id, activity_id,"
            + " attempt, status, worker, finished_at, result)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'skipped', ?, now(), ?::jsonb)"
            + " ON CONFLICT (workflow_run_id, activity_id, attempt) DO NOTHING";
    update(
        "record skipped stage " + a.stage(),
        sql,
        a.experimentId(),
        a.variant(),
        a.stage(),
        a.stageKey(),
        a.workflowRunId(),
        a.activityId(),
        a.attempt(),
        a.worker(),
        resultJson);
  }

  /** Records progress; throws {@link SupersededAttemptException} if the attempt was taken over. */
  public void progress(long id, long done, Long total) {
    requireRunning(id, update(
        "progress of stage run " + id,
        "UPDATE stage_runs SET progress_done = ?, progress_total = COALESCE(?, progress_total),"
            + " updated_at = now() WHERE id = ? AND status = 'running'",
        done,
        total,
        id));
  }

  /** Marks the attempt completed with its result; only a running (not superseded) attempt can. */
  public void complete(long id, String resultJson) {
    requireRunning(id, update(
        "complete stage run " + id,
        "UPDATE stage_runs SET status = 'completed', result = ?::jsonb, finished_at = now(),"
            + " updated_at = now(), error = NULL WHERE id = ? AND status = 'running'",
        resultJson,
        id));
  }

  /**
   * Retires the completed attempts of a stage whose result is gone (its objects deleted or
   * corrupted), so the stage can run again: a completed row otherwise makes every new attempt
   * refuse to start (see {@link #begin}). They become 'abandoned', with the reason as the error.
   */
  public void retireCompleted(String stageKey, String reason) {
    update("retire completed runs of " + stageKey,
        "UPDATE stage_runs SET status = 'abandoned', error = ?, updated_at = now()"
            + " WHERE stage_key = ? AND status = 'completed'",
        reason, stageKey);
  }

  /** Marks a running attempt failed; a superseded attempt keeps its 'abandoned' status. */
  public void fail(long id, String error) {
    update(
        "fail stage run " + id,
        "UPDATE stage_runs SET status = 'failed', error = ?, finished_at = now(), updated_at = now()"
            + " WHERE id = ? AND status = 'running'",
        error,
        id);
  }

  private static void requireRunning(long id, int updated) {
    if (updated == 0) {
      throw new SupersededAttemptException("stage run " + id + " was taken over by a later attempt");
    }
  }

  /** The result of the latest completed attempt with this key: the stage's memo. */
  public Optional<String> completedResult(String stageKey) {
    String sql =
        "SELECT result::text FROM stage_runs WHERE stage_key = ? AND status = 'completed'"
            + " ORDER BY finished_at DESC LIMIT 1";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, stageKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new DbException("find completed stage " + stageKey, e);
    }
  }

  /** Every attempt of an experiment, oldest first. */
  public List<StageRunRow> list(String experimentId) {
    String sql =
        "SELECT id, variant, stage, stage_key, attempt, status, worker, resumed_from, progress_done,"
            + " progress_total, started_at, finished_at, error FROM stage_runs WHERE experiment_id = ?"
            + " ORDER BY id";
    List<StageRunRow> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, experimentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new StageRunRow(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getString(7),
                  (Long) rs.getObject(8),
                  rs.getLong(9),
                  (Long) rs.getObject(10),
                  instant(rs.getTimestamp(11)),
                  instant(rs.getTimestamp(12)),
                  rs.getString(13)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new DbException("list stage runs of " + experimentId, e);
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private int update(String what, String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException(what, e);
    }
  }
}
