package io.rhlab.workflows;

import io.rhlab.workflows.spec.InvalidSpecException;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of every activity, in one place. Runs last days and must outlive any
 * outage of the database, the object store or a worker, so attempts are unlimited and backed off
 * to a minute; only errors that no retry can fix are final.
 */
public final class ActivityPolicies {
  private ActivityPolicies() {}

  /** Retry forever with back-off capped at one minute; bad input is never retried. */
  static final RetryOptions PATIENT =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(InvalidSpecException.TYPE, IllegalArgumentException.class.getName())
          .build();

  /** Bookkeeping writes: each is one SQL statement, so 30 s per attempt is generous. */
  public static final ActivityOptions RECORDS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(PATIENT)
          .build();

  /**
   * Data synthesis: heartbeats after every part. A 20 s heartbeat timeout notices a dead worker
   * quickly; shorter ones fail spuriously on a loaded 2-core machine. An attempt may take hours
   * for a large dataset.
   */
  public static final ActivityOptions SYNTHESIS =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.MAIN)
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(20))
          .setRetryOptions(PATIENT)
          .build();

  /**
   * Training and evaluation: heartbeats every step. 30 s without one means the worker is gone;
   * the retry resumes from the newest checkpoint. An attempt may run for days on a large model.
   */
  public static final ActivityOptions TRAINING =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.MAIN)
          .setStartToCloseTimeout(Duration.ofDays(7))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(PATIENT)
          .build();

  /**
   * Detection, knockout, patching and evaluation: heartbeats every prompt. Like training, an
   * attempt may run for days on a large model and a grid of long prompts.
   */
  public static final ActivityOptions ANALYSIS = TRAINING;
}
