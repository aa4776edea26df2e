package io.rhlab.infra.cli;

import io.rhlab.infra.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rhlab} command line. */
@Command(
    name = "rhlab",
    mixinStandardHelpOptions = true,
    version = "rhlab 0.1.0",
    description = "Retrieval-head lab: durable long-context retrieval experiments.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      RecoverCommand.class,
      MigrateCommand.class,
      CleanUploadsCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (with --wait: the experiment completed)",
      "1:the experiment failed",
      "2:bad command line or invalid spec; nothing started",
      "3:configuration error or unreachable service",
      "10:(status, recover) still running"
    })
public final class RhlabCommand {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line writing to the given streams (tests read them). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RhlabCommand()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException) {
            cmd.getErr().println("configuration error: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
          }
          throw e;
        });
    return cli.execute(args);
  }
}
