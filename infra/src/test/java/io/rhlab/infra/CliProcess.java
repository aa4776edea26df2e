package io.rhlab.infra;

import io.rhlab.infra.cli.RhlabCommand;
import io.rhlab.infra.config.RhlabConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One `rhlab` command line in its own JVM, with the services' variables as its environment. */
public final class CliProcess {
  private CliProcess() {}

  /** Its exit code and its stdout and stderr, interleaved. */
  public record Run(int exitCode, String output) {}

  public static Run run(RhlabConfig services, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        RhlabCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(services.toEnvironment());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("rhlab " + String.join(" ", args) + " did not exit:\n" + output);
    }
    return new Run(p.exitValue(), output);
  }
}
