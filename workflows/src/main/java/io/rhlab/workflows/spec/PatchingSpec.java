package io.rhlab.workflows.spec;

/**
 * Activation patching from the reference variant's model into each other variant's model.
 *
 * @param examples downstream prompts per patched run
 * @param draws random head sets (of the intersection's size) per variant
 * @param seed the seed of the random draws
 */
public record PatchingSpec(int examples, int draws, long seed) {
  static PatchingSpec read(SpecReader r, long seed) {
    int examples = r.integer("examples", 40, 1, 100_000);
    int draws = r.integer("draws", 3, 1, 100);
    long s = r.longValue("seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
    return new PatchingSpec(examples, draws, s);
  }
}
