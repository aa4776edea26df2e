package io.rhlab.workflows.spec;

/**
 * The simple dictionary key-value retrieval data of Xiong et al. 2024 (seed 002): a list of
 * numbered dictionaries of integer keys and values, and a question asking for the value of one
 * key and the dictionary it is in.
 *
 * @param examples how many prompts to generate
 * @param dictionaries dictionaries per prompt (the paper uses 85)
 * @param goldKeys keys in the dictionary holding the asked key (paper: 3)
 * @param minKeys fewest keys in any other dictionary (paper: 3)
 * @param maxKeys most keys in any other dictionary (paper: 4)
 * @param minDigits fewest digits of a key or value (paper: 3)
 * @param maxDigits most digits of a key or value (paper: 4)
 * @param answerTemplate append the answer template to the question (the paper's "with template")
 * @param seed generation seed; example i depends only on (seed, i)
 * @param examplesPerChunk examples per JSONL object in the store, the unit of resume
 */
public record KvRetrievalData(
    int examples,
    int dictionaries,
    int goldKeys,
    int minKeys,
    int maxKeys,
    int minDigits,
    int maxDigits,
    boolean answerTemplate,
    long seed,
    int examplesPerChunk)
    implements TaskData {

  public static final String TASK = "kv-retrieval";

  /** The paper's shape: 85 dictionaries of 3-4 keys, 3-4 digit numbers, 350 examples. */
  static final KvRetrievalData PAPER = new KvRetrievalData(350, 85, 3, 3, 4, 3, 4, true, 0, 1_000);

  static KvRetrievalData read(SpecReader r, long defaultSeed) {
    return read(r, defaultSeed, PAPER);
  }

  static KvRetrievalData read(SpecReader r, long defaultSeed, KvRetrievalData defaults) {
    KvRetrievalData f = defaults;
    int examples = r.integer("examples", f.examples, 1, 1_000_000);
    int dictionaries = r.integer("dictionaries", f.dictionaries, 1, 2_000);
    int goldKeys = r.integer("goldKeys", f.goldKeys, 1, 16);
    int minKeys = r.integer("minKeys", f.minKeys, 1, 16);
    int maxKeys = r.integer("maxKeys", f.maxKeys, 1, 16);
    int minDigits = r.integer("minDigits", f.minDigits, 1, 9);
    int maxDigits = r.integer("maxDigits", f.maxDigits, 1, 9);
    boolean template = r.bool("answerTemplate", f.answerTemplate);
    long seed = r.longValue("seed", defaultSeed, Long.MIN_VALUE, Long.MAX_VALUE);
    int perChunk = r.integer("examplesPerChunk", f.examplesPerChunk, 1, 100_000);
    KvRetrievalData d =
        new KvRetrievalData(
            examples, dictionaries, goldKeys, minKeys, maxKeys, minDigits, maxDigits, template, seed,
            perChunk);
    if (minKeys > maxKeys) {
      r.error("minKeys", "must not exceed maxKeys (" + maxKeys + ")");
    }
    if (minDigits > maxDigits) {
      r.error("minDigits", "must not exceed maxDigits (" + maxDigits + ")");
    }
    // Gold key and value must be unique in the prompt: keep numbers plentiful so sampling is fast.
    long needed = d.numbersNeeded();
    if (minDigits <= maxDigits && d.distinctNumbers() < needed) {
      r.error(
          "maxDigits",
          "too few distinct " + minDigits + "-" + maxDigits + " digit numbers ("
              + d.distinctNumbers() + ") for " + dictionaries + " dictionaries; need " + needed);
    }
    DataLimits.check(r, d);
    return d;
  }

  @Override
  public String taskName() {
    return TASK;
  }

  @Override
  public long maxExampleBytes() {
    return maxPromptBytes();
  }

  /** How many integers have between minDigits and maxDigits digits (0 counts as one digit). */
  public long distinctNumbers() {
    return distinctNumbers(minDigits, maxDigits);
  }

  /** How many integers have between minDigits and maxDigits digits (0 counts as one digit). */
  static long distinctNumbers(int minDigits, int maxDigits) {
    long hi = pow10(maxDigits);
    long lo = minDigits <= 1 ? 0 : pow10(minDigits - 1);
    return hi - lo;
  }

  /**
   * The fewest distinct numbers that keep the gold key and value unique in reasonable sampling
   * time: the rule {@link #read} enforces.
   */
  public long numbersNeeded() {
    return 4L * dictionaries * Math.max(maxKeys, goldKeys);
  }

  /** An upper bound on one example's JSONL line, used to bound memory and disk. */
  public long maxPromptBytes() {
    long perEntry = 2L * maxDigits + 4; // "k: v, "
    long perDictionary = 20 + perEntry * Math.max(maxKeys, goldKeys);
    return 600 + perDictionary * dictionaries;
  }

  @Override
  public int chunks() {
    return (int) ((examples + (long) examplesPerChunk - 1) / examplesPerChunk);
  }

  static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }
}
