package io.rhlab.infra.cli;

import io.rhlab.db.Database;
import io.rhlab.db.ExperimentStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageRunRow;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.RhlabConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** An experiment's state from PostgreSQL: it outlives the Temporal server. */
@Command(name = "status", description = "Show an experiment's variants and stage attempts; the exit code tells its state.")
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Parameters(index = "0", paramLabel = "ID", description = "Experiment id")
  String id;

  @Override
  public Integer call() {
    var out = command.commandLine().getOut();
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    if (cfg.db() == null) {
      throw new ConfigException("RHLAB_DB_URL is not set");
    }
    try (Database db = Database.open(cfg.db())) {
      ExperimentStore experiments = new ExperimentStore(db.dataSource());
      var experiment = experiments.find(id);
      if (experiment.isEmpty()) {
        command.commandLine().getErr().println("no experiment " + id);
        return ExitCodes.USAGE;
      }
      var e = experiment.get();
      out.println(e.id() + "  " + e.name() + "  " + e.status() + (e.error() == null ? "" : "  " + e.error()));
      for (var v : experiments.variants(id)) {
        out.println("  variant " + v.name() + "  " + v.status());
      }
      out.printf("  %-14s %-12s %7s %-10s %12s  %s%n", "variant", "stage", "attempt", "status", "progress", "worker");
      for (StageRunRow r : new StageRunStore(db.dataSource()).list(id)) {
        String progress = r.progressDone() + "/" + (r.progressTotal() == null ? "?" : r.progressTotal());
        out.printf("  %-14s %-12s %7d %-10s %12s  %s%s%n", r.variant(), r.stage(), r.attempt(), r.status(),
            progress, r.worker(), r.resumedFrom() == null ? "" : "  resumed from " + r.resumedFrom());
      }
      return switch (e.status()) {
        case "completed" -> ExitCodes.OK;
        case "failed" -> ExitCodes.RUN_FAILED;
        default -> ExitCodes.RUNNING;
      };
    }
  }
}
