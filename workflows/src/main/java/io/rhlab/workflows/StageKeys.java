package io.rhlab.workflows;

import io.rhlab.workflows.spec.ExperimentSpec;

/**
 * Memo keys of stages: a hash of the stage name, its code version, its spec section and its
 * upstream artifacts' hashes. Bump a version when that stage's output for the same input changes,
 * so stale results are not reused.
 */
public final class StageKeys {
  /** Version of the key-value data generator's output format and sampling. */
  public static final int SYNTHESIS_VERSION = 1;

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
