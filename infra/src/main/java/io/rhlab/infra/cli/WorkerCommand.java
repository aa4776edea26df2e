package io.rhlab.infra.cli;

import io.rhlab.infra.config.RhlabConfig;
import io.rhlab.infra.local.LocalStack;
import io.rhlab.infra.worker.RhlabWorker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** A long-running worker; unset services are started locally, as in `up`. */
@Command(name = "worker", description = "Run a worker for workflows and activities until stopped (SIGTERM shuts it down cleanly).")
final class WorkerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    LocalStack stack = LocalStack.start(cfg);
    RhlabWorker worker = RhlabWorker.start(stack.config());
    if (stack.startedAny()) {
      command.commandLine().getOut().println("# this worker started local services: " + cfg.embeddedExports(stack.config()));
    }
    command.commandLine().getOut().println("worker ready");
    command.commandLine().getOut().flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(); // let the worker finish shutting down before the JVM exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    stopped.await();
    try {
      worker.close();
      stack.close();
    } finally {
      closed.countDown();
    }
    return ExitCodes.OK;
  }
}
