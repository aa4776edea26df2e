package io.rhlab.infra.chaos;

import io.rhlab.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The natural key of every table a run writes, and the query that finds rows sharing one. */
final class NaturalKeys {
  private NaturalKeys() {}

  static final String[][] TABLES = {
    {"experiments", "id"},
    {"variants", "experiment_id, name"},
    {"stage_runs", "workflow_run_id, activity_id, attempt"},
    {"artifacts", "uri"},
    {"metrics", "run_id, key, step"},
    {"checkpoints", "run_id, step"},
  };

  /** One line per natural key held by more than one row, in any table; empty is the only good answer. */
  static List<String> duplicates(Database db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      for (String[] nk : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT concat_ws('|', " + nk[1] + ") FROM " + nk[0]
            + " GROUP BY " + nk[1] + " HAVING count(*) > 1")) {
          while (rs.next()) {
            out.add(nk[0] + " (" + nk[1] + ") duplicated: " + rs.getString(1));
          }
        }
      }
    }
    return out;
  }
}
