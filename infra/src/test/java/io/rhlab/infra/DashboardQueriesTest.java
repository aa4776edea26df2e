package io.rhlab.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.db.Database;
import io.rhlab.db.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Every SQL query of the Grafana dashboards runs against the real migrated schema, with Grafana's
 * macros and variables substituted, so a schema change cannot silently break a panel.
 */
class DashboardQueriesTest {
  @Test
  void everyPanelQuery_runsOnTheSchema() throws Exception {
    JsonNode dashboard = StackFixture.JSON.readTree(Files.readString(Path.of("grafana", "rhlab-overview.json")));
    int queries = 0;
    try (Database db = Database.open(TestDatabase.freshDatabase());
        Connection c = db.connection();
        Statement s = c.createStatement()) {
      for (JsonNode query : dashboard.findValues("rawSql")) {
        s.executeQuery(grafana(query.asText())).close();
        queries++;
      }
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        s.executeQuery(grafana(variable.path("query").asText())).close();
        queries++;
      }
    }
    assertTrue(queries >= 6, "found " + queries + " queries");
  }

  /** Grafana's substitutions for a PostgreSQL data source. */
  private static String grafana(String sql) {
    return sql.replace("$experiment", "demo-1")
        .replaceAll("\\$__timeFilter\\((\\w+)\\)", "$1 BETWEEN now() - interval '7 days' AND now()");
  }
}
