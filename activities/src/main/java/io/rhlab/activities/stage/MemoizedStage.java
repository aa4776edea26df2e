package io.rhlab.activities.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.db.StageRunStore;
import io.rhlab.db.StageRunStore.StageAttempt;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of a stage inside an activity, with the bookkeeping every stage shares:
 *
 * <ol>
 *   <li>a completed attempt with the same stage key whose outputs are still intact is reused: the
 *       attempt is recorded as skipped and its result returned;
 *   <li>otherwise the body runs, recording its progress in stage_runs, and its result is stored
 *       as the stage's memo when it completes;
 *   <li>a failure is recorded on the row and rethrown, so Temporal retries the activity.
 * </ol>
 */
public final class MemoizedStage {
  private static final Logger log = LoggerFactory.getLogger(MemoizedStage.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StageRunStore stages;
  private final String worker;

  public MemoizedStage(StageRunStore stages, String worker) {
    this.stages = stages;
    this.worker = worker;
  }

  /** What a stage computes, given the recorder of its attempt. */
  public interface Body<T> {
    T run(StageRecorder recorder) throws Exception;
  }

  /**
   * Runs or reuses a stage.
   *
   * @param intact whether a stored result's outputs still exist and verify
   * @param asReused the stored result marked as reused
   */
  public <T> T run(
      String experimentId, String variant, String stage, String stageKey, Class<T> type,
      Predicate<T> intact, Function<T, T> asReused, Body<T> body) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    StageAttempt attempt =
        new StageAttempt(experimentId, variant, stage, stageKey, info.getRunId(), info.getActivityId(),
            info.getAttempt(), worker);
    Optional<T> done = stages.completedResult(stageKey).map(json -> parse(json, type));
    if (done.isPresent()) {
      if (intact.test(done.get())) {
        T reused = asReused.apply(done.get());
        stages.recordSkipped(attempt, json(reused));
        return reused;
      }
      log.warn("{} {}: the completed result of {} is no longer intact; computing it again", experimentId, stage, stageKey);
      stages.retireCompleted(stageKey, "result no longer intact; computed again");
    }
    StageRecorder recorder = new StageRecorder(stages, attempt);
    try {
      T result = body.run(recorder);
      if (recorder.row() == null) {
        recorder.begin(0, 1);
      }
      stages.complete(recorder.row(), json(result));
      return result;
    } catch (Exception e) {
      if (recorder.row() != null) {
        try {
          stages.fail(recorder.row(), e.toString());
        } catch (RuntimeException recordFailure) {
          e.addSuppressed(recordFailure);
        }
      }
      throw Activity.wrap(e);
    }
  }

  public static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain records serialize", e);
    }
  }

  private static <T> T parse(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored result is not a " + type.getSimpleName() + ": " + json, e);
    }
  }
}
