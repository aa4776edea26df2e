package io.rhlab.infra.cli;

import io.grpc.StatusRuntimeException;
import io.rhlab.db.Database;
import io.rhlab.db.ExperimentStore;
import io.rhlab.db.StageRunStore;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.temporal.TemporalClients;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Re-submits a stored experiment under its id: after a lost Temporal server, a failure, a crash. */
@Command(
    name = "recover",
    description = "Re-submit an experiment from the spec stored in PostgreSQL, under the same id; finished"
        + " stages are skipped and training resumes from its last checkpoint.")
final class RecoverCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Parameters(index = "0", paramLabel = "ID", description = "Experiment id")
  String id;

  @Option(names = "--wait", description = "Follow the recovered run to its end; the exit code tells how it ended.")
  boolean await;

  @Override
  public Integer call() throws Exception {
    var out = command.commandLine().getOut();
    var err = command.commandLine().getErr();
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    if (cfg.db() == null) {
      throw new ConfigException("RHLAB_DB_URL is not set: recover reads the stored spec from PostgreSQL");
    }
    if (cfg.temporal().embedded()) {
      throw new ConfigException(
          "RHLAB_TEMPORAL_ADDRESS is not set: run `rhlab up` and export the variables it prints");
    }
    try (Database db = Database.open(cfg.db())) {
      WorkflowServiceStubs stubs;
      try {
        stubs = TemporalClients.connect(cfg.temporal());
      } catch (RuntimeException e) {
        err.println("cannot reach Temporal at " + cfg.temporal().address() + ": " + e.getMessage());
        return ExitCodes.ENVIRONMENT;
      }
      try {
        var recovery = new ExperimentRecovery(new ExperimentStore(db.dataSource()),
            TemporalClients.client(stubs, cfg.temporal()));
        ExperimentRecovery.Result r;
        try {
          r = recovery.recover(id);
        } catch (StatusRuntimeException e) {
          err.println("Temporal at " + cfg.temporal().address() + " did not answer: " + e.getStatus());
          return ExitCodes.ENVIRONMENT;
        }
        switch (r.outcome()) {
          case UNKNOWN, INVALID_SPEC -> {
            err.println(r.message());
            return ExitCodes.USAGE;
          }
          case RUNNING -> {
            out.println(r.message());
            return ExitCodes.RUNNING;
          }
          case COMPLETED -> {
            out.println(r.message());
            return ExitCodes.OK;
          }
          default -> out.println(r.message());
        }
        if (!await) {
          return ExitCodes.OK;
        }
        try {
          ExperimentResult result = Experiments.await(r.started().orElseThrow(), id, new StageRunStore(db.dataSource()));
          Summary.print(out, result, db);
          return ExitCodes.OK;
        } catch (ExecutionException e) {
          err.println("experiment " + id + " failed: " + Summary.rootMessage(e));
          return ExitCodes.RUN_FAILED;
        }
      } finally {
        stubs.shutdown();
      }
    }
  }
}
