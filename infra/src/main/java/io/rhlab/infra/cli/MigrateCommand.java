package io.rhlab.infra.cli;

import io.rhlab.db.Database;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.RhlabConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Applies the Flyway migrations to the configured database (Helm runs this as a hook). */
@Command(name = "migrate", description = "Apply database migrations to RHLAB_DB_URL.")
final class MigrateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    if (cfg.db() == null) {
      throw new ConfigException("RHLAB_DB_URL is not set");
    }
    try (Database db = Database.open(cfg.db())) {
      var r = db.migrate();
      command.commandLine().getOut().println(
          "schema at version " + r.targetSchemaVersion + " (" + r.migrationsExecuted + " migrations applied)");
    }
    return ExitCodes.OK;
  }
}
