package io.rhlab.workflows;

/** Names of the Temporal task queues; workers and starters import them from here. */
public final class TaskQueues {
  /** Workflows and CPU activities (synthesis, analysis, bookkeeping). */
  public static final String MAIN = "rhlab-main";

  /** Accelerator activities (training, head scoring on large models); a GPU worker polls it. */
  public static final String GPU = "rhlab-gpu";

  private TaskQueues() {}
}
