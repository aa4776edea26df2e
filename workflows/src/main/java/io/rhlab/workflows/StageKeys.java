package io.rhlab.workflows;

import io.rhlab.workflows.spec.ExperimentSpec;

/**
 * Memo keys of stages: a hash of the stage name, its code version, its spec section and its
 * upstream artifacts' hashes. Bump a version when that stage's output for the same input changes,
 * so stale results are not reused.
 */
public final class StageKeys {
  /** Version of the key-value data generator's output format and sampling. */
  public static final int SYNTHESIS_VERSION = 2;

  /** Version of base-model pre-training (curriculum, initialisation, optimizer). */
  public static final int BASE_MODEL_VERSION = 4;

  /** Version of fine-tuning (batching, loss mask, optimizer). */
  public static final int FINETUNE_VERSION = 1;

  /** Version of the key-value evaluation (held-out draw, decoding, scoring). */
  public static final int EVALUATION_VERSION = 1;

  /** Version of task evaluation on an analysis set (decoding, string-match scoring, slices). */
  public static final int TASK_EVALUATION_VERSION = 1;

  /** Version of retrieval-head detection (the score, its gate, decoding). */
  public static final int DETECTION_VERSION = 1;

  /** Version of the knockout sweep (head choice, random draws, masking). */
  public static final int KNOCKOUT_VERSION = 1;

  /** Version of activation patching (head sets, what is patched when). */
  public static final int PATCHING_VERSION = 1;

  /** Version of the cross-variant analysis and report. */
  public static final int ANALYSIS_VERSION = 1;

  private StageKeys() {}

  public static String of(String stage, int version, Object specSection, String... upstreamSha256) {
    StringBuilder sb = new StringBuilder(stage).append('|').append(version).append('|');
    sb.append(ExperimentSpec.canonicalJson(specSection));
    for (String u : upstreamSha256) {
      sb.append('|').append(u);
    }
    return ExperimentSpec.sha256(sb.toString());
  }
}
