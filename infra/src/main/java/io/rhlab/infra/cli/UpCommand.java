package io.rhlab.infra.cli;

import io.rhlab.db.Database;
import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.local.LocalStack;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Starts the local stack alone and prints how to point workers and CLIs at it. */
@Command(name = "up", description = "Start the embedded Temporal, PostgreSQL and S3 and keep them up until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    var out = command.commandLine().getOut();
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    CountDownLatch stop = new CountDownLatch(1);
    try (LocalStack stack = LocalStack.start(cfg)) {
      try (Database db = Database.open(stack.config().db())) {
        db.migrate();
      }
      out.println("# local stack up; in another shell:");
      for (Map.Entry<String, String> e : cfg.embeddedExports(stack.config()).entrySet()) {
        out.println("export " + e.getKey() + "='" + e.getValue() + "'");
      }
      out.println("# then: rhlab worker   and   rhlab submit SPEC --wait");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
