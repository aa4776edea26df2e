package io.rhlab.infra.cli;

/** The CLI's exit codes, for CI jobs; the README lists them. */
public final class ExitCodes {
  /** The command did what was asked; with --wait, the experiment completed. */
  public static final int OK = 0;

  /** The experiment failed (or, for status, is recorded as failed). */
  public static final int RUN_FAILED = 1;

  /** Bad command line or invalid spec: nothing was started. */
  public static final int USAGE = 2;

  /** Configuration is wrong or a service is unreachable. */
  public static final int ENVIRONMENT = 3;

  /** status: the experiment is still running. */
  public static final int RUNNING = 10;

  private ExitCodes() {}
}
