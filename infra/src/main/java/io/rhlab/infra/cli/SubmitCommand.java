package io.rhlab.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.db.Database;
import io.rhlab.db.StageRunStore;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.temporal.TemporalClients;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.InvalidSpecException;
import io.rhlab.workflows.spec.SpecFiles;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates a spec locally, then starts it on the configured Temporal. */
@Command(name = "submit", description = "Validate a spec (JSON or YAML) and start the experiment.")
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Parameters(index = "0", paramLabel = "SPEC", description = "Spec file, .json or .yaml")
  Path specFile;

  @Option(names = "--id", description = "Experiment (workflow) id; default: <name>-<timestamp>. Re-using an id resumes it.")
  String id;

  @Option(names = "--wait", description = "Follow the run to its end; the exit code tells how it ended.")
  boolean await;

  @Override
  public Integer call() throws Exception {
    var out = command.commandLine().getOut();
    var err = command.commandLine().getErr();
    JsonNode tree;
    ExperimentSpec spec;
    try {
      tree = SpecFiles.read(specFile);
      spec = ExperimentSpec.parse(tree);
    } catch (IOException e) {
      err.println("cannot read spec " + specFile + ": " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (InvalidSpecException e) {
      err.println(e.getMessage());
      return ExitCodes.USAGE;
    }
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    if (cfg.temporal().embedded()) {
      throw new ConfigException(
          "RHLAB_TEMPORAL_ADDRESS is not set: run `rhlab up` and export the variables it prints");
    }
    String experimentId = id != null ? id : Experiments.defaultId(spec);
    WorkflowServiceStubs stubs = TemporalClients.connect(cfg.temporal());
    try {
      WorkflowStub stub = Experiments.start(TemporalClients.client(stubs, cfg.temporal()), experimentId, tree);
      out.println("started " + experimentId);
      if (!await) {
        return ExitCodes.OK;
      }
      if (cfg.db() == null) {
        throw new ConfigException("--wait reads progress from PostgreSQL: set RHLAB_DB_URL");
      }
      try (Database db = Database.open(cfg.db())) {
        ExperimentResult r = Experiments.await(stub, experimentId, new StageRunStore(db.dataSource()));
        Summary.print(out, r, db);
        return ExitCodes.OK;
      } catch (ExecutionException e) {
        err.println("experiment " + experimentId + " failed: " + Summary.rootMessage(e));
        return ExitCodes.RUN_FAILED;
      }
    } finally {
      stubs.shutdown();
    }
  }
}
