package io.rhlab.workflows.spec;

/**
 * The two axes of Zhao, Yin and Durrett 2024 (seed 000): how realistic the needle is (a
 * natural-language fact, a templated relation, or symbolic tokens) and how diverse the haystack is
 * (varied real text, or a few real sentences repeated). The asked needle's depth is uniform.
 *
 * @param examples how many prompts
 * @param realism fact, relation or symbolic
 * @param diversity varied or repetitive
 * @param contextLength prompt plus answer, in tokens of the synthetic tokenizer
 * @param seed generation seed; example i depends only on (seed, i)
 * @param examplesPerChunk examples per JSONL object in the store, the unit of resume
 */
public record QuadrantData(
    int examples, String realism, String diversity, int contextLength, long seed, int examplesPerChunk)
    implements TaskData {

  public static final String TASK = "needle-quadrant";

  public static final java.util.List<String> REALISMS = java.util.List.of("fact", "relation", "symbolic");

  public static final java.util.List<String> DIVERSITIES = java.util.List.of("varied", "repetitive");

  static QuadrantData read(SpecReader r, long defaultSeed) {
    int examples = r.integer("examples", 350, 1, 1_000_000);
    String realism = r.choice("realism", null, REALISMS);
    String diversity = r.choice("diversity", null, DIVERSITIES);
    int length = r.integer("contextLength", 256, NeedleData.MIN_CONTEXT, DataLimits.MAX_CONTEXT_TOKENS);
    long seed = r.longValue("seed", defaultSeed, Long.MIN_VALUE, Long.MAX_VALUE);
    int perChunk = r.integer("examplesPerChunk", 1_000, 1, 100_000);
    QuadrantData d = new QuadrantData(examples, realism, diversity, length, seed, perChunk);
    DataLimits.check(r, d);
    return d;
  }

  @Override
  public String taskName() {
    return TASK;
  }

  @Override
  public long maxExampleBytes() {
    return 1_000 + DataLimits.BYTES_PER_TOKEN * contextLength;
  }
}
