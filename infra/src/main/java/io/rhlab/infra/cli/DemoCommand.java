package io.rhlab.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rhlab.db.StageRunStore;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.local.LocalStack;
import io.rhlab.infra.temporal.TemporalClients;
import io.rhlab.infra.worker.RhlabWorker;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.spec.ExperimentSpec;
import io.rhlab.workflows.spec.SpecFiles;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Everything in one process: the local stack, a worker, a bundled spec, a summary. */
@Command(name = "demo", description = "Run a bundled experiment (default: the demo) on the embedded local stack.")
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  /** The bundled specs: infra/src/main/resources/specs/NAME.yaml. */
  enum Preset { demo, paper }

  @Option(names = "--preset", defaultValue = "demo",
      description = "demo (a few minutes on 2 CPU cores) or paper (the seed papers' grid: hours on CPU, or a GPU); "
          + "valid: ${COMPLETION-CANDIDATES}")
  Preset preset;

  static JsonNode presetSpec(Preset preset) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/specs/" + preset.name() + ".yaml")) {
      return SpecFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static JsonNode demoSpec() throws IOException {
    return presetSpec(Preset.demo);
  }

  @Override
  public Integer call() throws Exception {
    var out = command.commandLine().getOut();
    JsonNode tree = presetSpec(preset);
    ExperimentSpec spec = ExperimentSpec.parse(tree);
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    out.println("starting the local stack under " + cfg.home() + " ...");
    try (LocalStack stack = LocalStack.start(cfg);
        RhlabWorker worker = RhlabWorker.start(stack.config())) {
      RhlabConfig live = stack.config();
      out.println("  Temporal   " + live.temporal().address() + " (namespace " + live.temporal().namespace() + ")");
      out.println("  PostgreSQL " + live.db().jdbcUrl());
      out.println("  S3         " + live.s3().endpoint() + " bucket " + live.s3().bucket());
      String id = Experiments.defaultId(spec);
      WorkflowServiceStubs stubs = TemporalClients.connect(live.temporal());
      try {
        WorkflowStub stub = Experiments.start(TemporalClients.client(stubs, live.temporal()), id, tree);
        ExperimentResult r =
            Experiments.await(stub, id, new StageRunStore(worker.database().dataSource()));
        Summary.print(out, r, worker.database());
        out.println("objects on disk under " + cfg.home().resolve("s3") + "; database under " + cfg.home().resolve("postgres"));
        return ExitCodes.OK;
      } catch (ExecutionException e) {
        command.commandLine().getErr().println("demo failed: " + Summary.rootMessage(e));
        return ExitCodes.RUN_FAILED;
      } finally {
        stubs.shutdown();
      }
    }
  }
}
