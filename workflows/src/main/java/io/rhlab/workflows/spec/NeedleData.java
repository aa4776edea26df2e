package io.rhlab.workflows.spec;

import java.util.List;

/**
 * Needle-in-a-haystack prompts in the manner of RULER, asked the way Wu et al. 2024 ask (seed 001):
 * the haystack with needles "One of the special magic numbers for KEY is: VALUE." inserted, then
 * "Based on the content of the book, Question: ...\nAnswer:". Example i falls in grid cell
 * i mod (lengths x depths): every context length meets every depth equally often.
 *
 * @param examples how many prompts
 * @param kind single (one needle), multi-key (one asked key among distractor keys), multi-value
 *     (one key with several values, all asked) or multi-query (several keys, all asked)
 * @param needles needles in a prompt: 1 for single; the keys, values or queries of the others
 * @param haystack text (real Europarl sentences) or noise (one repeated filler paragraph)
 * @param contextLengths prompt plus answer, in tokens of the synthetic tokenizer
 * @param depths where the asked needle sits, in percent of the haystack (0 = start)
 * @param seed generation seed; example i depends only on (seed, i)
 * @param examplesPerChunk examples per JSONL object in the store, the unit of resume
 */
public record NeedleData(
    int examples,
    String kind,
    int needles,
    String haystack,
    List<Integer> contextLengths,
    List<Integer> depths,
    long seed,
    int examplesPerChunk)
    implements TaskData {

  public static final String TASK = "niah";

  public static final List<String> KINDS = List.of("single", "multi-key", "multi-value", "multi-query");

  public static final List<String> HAYSTACKS = List.of("text", "noise");

  /** Smallest context: one needle and the question take about 100 synthetic tokens. */
  static final int MIN_CONTEXT = 128;

  static NeedleData read(SpecReader r, long defaultSeed) {
    int examples = r.integer("examples", 100, 1, 1_000_000);
    String kind = r.choice("kind", "single", KINDS);
    int needles = r.integer("needles", kind.equals("single") ? 1 : 4, 1, 64);
    String haystack = r.choice("haystack", "text", HAYSTACKS);
    List<Integer> lengths =
        r.integers("contextLengths", List.of(256), 64, MIN_CONTEXT, DataLimits.MAX_CONTEXT_TOKENS);
    List<Integer> depths = r.integers("depths", List.of(0, 25, 50, 75, 100), 101, 0, 100);
    long seed = r.longValue("seed", defaultSeed, Long.MIN_VALUE, Long.MAX_VALUE);
    int perChunk = r.integer("examplesPerChunk", 1_000, 1, 100_000);
    if (kind.equals("single") && needles != 1) {
      r.error("needles", "must be 1 for kind single");
    } else if (!kind.equals("single") && needles < 2) {
      r.error("needles", "must be in [2, 64] for kind " + kind);
    }
    if (needles * 40L + 64 > lengths.stream().mapToInt(Integer::intValue).min().orElse(MIN_CONTEXT)) {
      r.error("needles", "too many needles (" + needles + ") for the shortest context; allow 40 tokens a needle plus 64");
    }
    NeedleData d = new NeedleData(examples, kind, needles, haystack, lengths, depths, seed, perChunk);
    DataLimits.check(r, d);
    return d;
  }

  @Override
  public String taskName() {
    return TASK;
  }

  /** Grid cells: every context length with every depth. */
  public int cells() {
    return contextLengths.size() * depths.size();
  }

  @Override
  public long maxExampleBytes() {
    int longest = contextLengths.stream().mapToInt(Integer::intValue).max().orElse(MIN_CONTEXT);
    return 1_000 + DataLimits.BYTES_PER_TOKEN * longest;
  }
}
