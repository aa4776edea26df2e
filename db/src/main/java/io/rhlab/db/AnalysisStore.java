package io.rhlab.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The results of the retrieval-head science: evaluations, head scores, knockout, patching and the
 * cross-variant analysis. Each write is one transaction of upserts on the table's natural key, so
 * a retried activity rewrites its rows instead of adding more.
 */
public final class AnalysisStore {
  private final DataSource db;

  public AnalysisStore(DataSource db) {
    this.db = db;
  }

  /** Accuracy on one slice of an evaluation set ("all", "position=5", ...). */
  public record EvalSlice(String slice, int correct, int total) {
    public double accuracy() {
      return total == 0 ? 0 : (double) correct / total;
    }
  }

  /** The retrieval score of one head. */
  public record HeadScore(int layer, int head, double score, boolean retrieval) {}

  /** What a detection ran on and found. */
  public record Detection(int tests, int accepted, double threshold, int retrievalHeads, int totalHeads) {}

  /** Accuracy with a set of heads knocked out. {@code headSet} is "top" or "random". */
  public record KnockoutRow(int k, String headSet, int draw, String heads, int correct, int total) {
    public double accuracy() {
      return total == 0 ? 0 : (double) correct / total;
    }
  }

  /** One patching run; {@code recovery} is null when the reference does no better than the target. */
  public record PatchingRow(
      String headSet, int draw, String heads, double targetMetric, double referenceMetric,
      double patchedMetric, Double recovery) {}

  /** A variant's place in the cross-variant analysis. */
  public record VariantAnalysis(String variant, int retrievalHeads, Double recall, double downstream) {}

  /** The experiment-level outcome and where its report lies. */
  public record Report(
      String reference, Double spearman, Double spearmanLow, Double spearmanHigh, String reportUri,
      String summaryUri, String summaryJson) {}

  /** Upserts the slices of one evaluation. */
  public void recordEvaluation(String experimentId, String variant, String task, List<EvalSlice> slices) {
    String sql =
        "INSERT INTO eval_results (experiment_id, variant, task, slice, correct, total, accuracy)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, variant, task, slice)"
            + " DO UPDATE SET correct = EXCLUDED.correct, total = EXCLUDED.total,"
            + " accuracy = EXCLUDED.accuracy, recorded_at = now()";
    batch("record evaluation " + task + " of " + experimentId + "/" + variant, sql, slices,
        (ps, s) -> Sql.bind(ps, experimentId, variant, task, s.slice(), s.correct(), s.total(), s.accuracy()));
  }

  /** Upserts a detection and the score of every head, in one transaction. */
  public void recordDetection(String experimentId, String variant, Detection detection, List<HeadScore> scores) {
    String summary =
        "INSERT INTO head_detections (experiment_id, variant, tests, accepted, threshold, retrieval_heads,"
            + " total_heads) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, variant) DO UPDATE SET"
            + " tests = EXCLUDED.tests, accepted = EXCLUDED.accepted, threshold = EXCLUDED.threshold,"
            + " retrieval_heads = EXCLUDED.retrieval_heads, total_heads = EXCLUDED.total_heads,"
            + " recorded_at = now()";
    String rows =
        "INSERT INTO head_scores (experiment_id, variant, layer, head, score, retrieval)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, variant, layer, head)"
            + " DO UPDATE SET score = EXCLUDED.score, retrieval = EXCLUDED.retrieval";
    String what = "record head scores of " + experimentId + "/" + variant;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(summary)) {
        Sql.bind(ps, experimentId, variant, detection.tests(), detection.accepted(), detection.threshold(),
            detection.retrievalHeads(), detection.totalHeads());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(rows)) {
        for (HeadScore s : scores) {
          Sql.bind(ps, experimentId, variant, s.layer(), s.head(), s.score(), s.retrieval());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new DbException(what, e);
    }
  }

  /** The head scores of a variant, by layer and head. */
  public List<HeadScore> headScores(String experimentId, String variant) {
    String sql = "SELECT layer, head, score, retrieval FROM head_scores WHERE experiment_id = ?"
        + " AND variant = ? ORDER BY layer, head";
    List<HeadScore> scores = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, experimentId, variant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          scores.add(new HeadScore(rs.getInt(1), rs.getInt(2), rs.getDouble(3), rs.getBoolean(4)));
        }
      }
      return scores;
    } catch (SQLException e) {
      throw new DbException("read head scores of " + experimentId + "/" + variant, e);
    }
  }

  /** Upserts knockout rows. */
  public void recordKnockout(String experimentId, String variant, List<KnockoutRow> rows) {
    String sql =
        "INSERT INTO knockout_results (experiment_id, variant, k, head_set, draw, heads, correct, total,"
            + " accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (experiment_id, variant, k, head_set, draw) DO UPDATE SET heads = EXCLUDED.heads,"
            + " correct = EXCLUDED.correct, total = EXCLUDED.total, accuracy = EXCLUDED.accuracy";
    batch("record knockout of " + experimentId + "/" + variant, sql, rows,
        (ps, r) -> Sql.bind(ps, experimentId, variant, r.k(), r.headSet(), r.draw(), r.heads(), r.correct(),
            r.total(), r.accuracy()));
  }

  /** Upserts patching rows. */
  public void recordPatching(String experimentId, String variant, String reference, List<PatchingRow> rows) {
    String sql =
        "INSERT INTO patching_results (experiment_id, variant, reference, head_set, draw, heads,"
            + " target_metric, reference_metric, patched_metric, recovery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (experiment_id, variant, head_set, draw) DO UPDATE SET"
            + " reference = EXCLUDED.reference, heads = EXCLUDED.heads,"
            + " target_metric = EXCLUDED.target_metric, reference_metric = EXCLUDED.reference_metric,"
            + " patched_metric = EXCLUDED.patched_metric, recovery = EXCLUDED.recovery";
    batch("record patching of " + experimentId + "/" + variant, sql, rows,
        (ps, r) -> Sql.bind(ps, experimentId, variant, reference, r.headSet(), r.draw(), r.heads(),
            r.targetMetric(), r.referenceMetric(), r.patchedMetric(), r.recovery()));
  }

  /** Upserts the per-variant analysis rows and the report row, in one transaction. */
  public void recordAnalysis(String experimentId, List<VariantAnalysis> variants, Report report) {
    String rows =
        "INSERT INTO variant_analysis (experiment_id, variant, retrieval_heads, recall, downstream)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (experiment_id, variant) DO UPDATE SET"
            + " retrieval_heads = EXCLUDED.retrieval_heads, recall = EXCLUDED.recall,"
            + " downstream = EXCLUDED.downstream";
    String summary =
        "INSERT INTO experiment_reports (experiment_id, reference, spearman, spearman_low, spearman_high,"
            + " report_uri, summary_uri, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
            + " ON CONFLICT (experiment_id) DO UPDATE SET reference = EXCLUDED.reference,"
            + " spearman = EXCLUDED.spearman, spearman_low = EXCLUDED.spearman_low,"
            + " spearman_high = EXCLUDED.spearman_high, report_uri = EXCLUDED.report_uri,"
            + " summary_uri = EXCLUDED.summary_uri, summary = EXCLUDED.summary, recorded_at = now()";
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(rows)) {
        for (VariantAnalysis v : variants) {
          Sql.bind(ps, experimentId, v.variant(), v.retrievalHeads(), v.recall(), v.downstream());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement(summary)) {
        Sql.bind(ps, experimentId, report.reference(), report.spearman(), report.spearmanLow(),
            report.spearmanHigh(), report.reportUri(), report.summaryUri(), report.summaryJson());
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw new DbException("record analysis of " + experimentId, e);
    }
  }

  private interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private <T> void batch(String what, String sql, List<T> rows, Binder<T> binder) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw new DbException(what, e);
    }
  }
}
