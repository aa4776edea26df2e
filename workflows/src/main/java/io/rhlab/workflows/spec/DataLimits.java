package io.rhlab.workflows.spec;

/**
 * Size limits every task's data shares: a worker holds one part in memory and the store holds the
 * whole dataset, so both are bounded from the spec before anything runs.
 */
final class DataLimits {
  /** Above this a single generated JSONL object would be unreasonably large for one worker. */
  static final long MAX_CHUNK_BYTES = 256L << 20;

  /** Above this a dataset would fill the disk of a small store; bigger runs split into variants. */
  static final long MAX_DATASET_BYTES = 16L << 30;

  /** Longest context a text task may ask for, in tokens (paper grids go to about 100K). */
  static final int MAX_CONTEXT_TOKENS = 1 << 20;

  /**
   * Bytes of JSONL per context token, an estimate with headroom: synthetic tokens average under 6
   * characters of text, and the needles and answers repeat a small part of it.
   */
  static final long BYTES_PER_TOKEN = 8;

  private DataLimits() {}

  /** Adds errors on examplesPerChunk and examples when the estimated sizes exceed the caps. */
  static void check(SpecReader r, TaskData d) {
    if ((long) d.examplesPerChunk() * d.maxExampleBytes() > MAX_CHUNK_BYTES) {
      r.error("examplesPerChunk", "a chunk would exceed " + (MAX_CHUNK_BYTES >> 20) + " MiB; lower it");
    }
    if ((long) d.examples() * d.maxExampleBytes() > MAX_DATASET_BYTES) {
      r.error("examples", "the dataset would exceed " + (MAX_DATASET_BYTES >> 30) + " GiB");
    }
  }
}
