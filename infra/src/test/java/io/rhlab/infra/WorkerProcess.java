package io.rhlab.infra;

import io.rhlab.infra.cli.RhlabCommand;
import io.rhlab.infra.config.RhlabConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** `rhlab worker` in its own JVM, so a test can SIGKILL it like a lost machine. */
public final class WorkerProcess implements AutoCloseable {
  private final Process process;
  public final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static WorkerProcess start(RhlabConfig services, Path log) throws IOException, InterruptedException {
    return start(services, log, Map.of());
  }

  /** A worker whose environment is the services' plus {@code env} (which wins). */
  public static WorkerProcess start(RhlabConfig services, Path log, Map<String, String> env)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            RhlabCommand.class.getName(), "worker");
    pb.environment().putAll(services.toEnvironment());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    WorkerProcess w = new WorkerProcess(pb.start(), log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("worker ready")) {
      if (!w.process.isAlive() || System.nanoTime() > deadline) {
        w.kill();
        throw new IllegalStateException("worker did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return w;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
