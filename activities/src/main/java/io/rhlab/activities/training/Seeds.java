package io.rhlab.activities.training;

/** Derives independent seeds from (seed, index) pairs with SplitMix64's finalizer. */
final class Seeds {

  private Seeds() {}

  /** A well-mixed 64-bit seed for stream {@code index} of {@code seed}. */
  static long mix(long seed, long index) {
    return finalize64(seed ^ finalize64(index + 0x9E3779B97F4A7C15L));
  }

  private static long finalize64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
