package io.rhlab.workflows.spec;

/**
 * Multi-subkey key-value retrieval (Xiong et al. 2024, seed 002): dictionaries whose keys are
 * tuples of integers; keys of other dictionaries share up to {@code commonSubkeys} subkeys with the
 * asked key, and the question lists the asked key's subkeys in a shuffled order.
 *
 * @param examples how many prompts to generate
 * @param dictionaries dictionaries per prompt
 * @param goldKeys keys in the dictionary holding the asked key
 * @param minKeys fewest keys in any other dictionary
 * @param maxKeys most keys in any other dictionary
 * @param subkeys integers per key tuple
 * @param commonSubkeys how many of the asked key's subkeys other keys may share (below subkeys)
 * @param minDigits fewest digits of a subkey or value
 * @param maxDigits most digits of a subkey or value
 * @param answerTemplate append the answer template to the question
 * @param seed generation seed; example i depends only on (seed, i)
 * @param examplesPerChunk examples per JSONL object in the store, the unit of resume
 */
public record MultiSubkeyKvData(
    int examples,
    int dictionaries,
    int goldKeys,
    int minKeys,
    int maxKeys,
    int subkeys,
    int commonSubkeys,
    int minDigits,
    int maxDigits,
    boolean answerTemplate,
    long seed,
    int examplesPerChunk)
    implements TaskData {

  public static final String TASK = "kv-multisubkey";

  static final MultiSubkeyKvData DEFAULTS =
      new MultiSubkeyKvData(350, 40, 3, 3, 4, 3, 2, 3, 4, true, 0, 1_000);

  static MultiSubkeyKvData read(SpecReader r, long defaultSeed) {
    MultiSubkeyKvData f = DEFAULTS;
    int examples = r.integer("examples", f.examples, 1, 1_000_000);
    int dictionaries = r.integer("dictionaries", f.dictionaries, 1, 2_000);
    int goldKeys = r.integer("goldKeys", f.goldKeys, 1, 16);
    int minKeys = r.integer("minKeys", f.minKeys, 1, 16);
    int maxKeys = r.integer("maxKeys", f.maxKeys, 1, 16);
    int subkeys = r.integer("subkeys", f.subkeys, 2, 8);
    int common = r.integer("commonSubkeys", f.commonSubkeys, 0, 7);
    int minDigits = r.integer("minDigits", f.minDigits, 1, 9);
    int maxDigits = r.integer("maxDigits", f.maxDigits, 1, 9);
    boolean template = r.bool("answerTemplate", f.answerTemplate);
    long seed = r.longValue("seed", defaultSeed, Long.MIN_VALUE, Long.MAX_VALUE);
    int perChunk = r.integer("examplesPerChunk", f.examplesPerChunk, 1, 100_000);
    MultiSubkeyKvData d =
        new MultiSubkeyKvData(examples, dictionaries, goldKeys, minKeys, maxKeys, subkeys, common,
            minDigits, maxDigits, template, seed, perChunk);
    if (minKeys > maxKeys) {
      r.error("minKeys", "must not exceed maxKeys (" + maxKeys + ")");
    }
    if (minDigits > maxDigits) {
      r.error("minDigits", "must not exceed maxDigits (" + maxDigits + ")");
    }
    if (common >= subkeys) {
      r.error("commonSubkeys", "must be below subkeys (" + subkeys + ") so that only the asked key holds all of its subkeys");
    }
    // Subkeys and values are drawn distinct from the asked ones: keep numbers plentiful.
    long needed = 4L * dictionaries * Math.max(maxKeys, goldKeys) * (subkeys + 1);
    if (minDigits <= maxDigits && d.distinctNumbers() < needed) {
      r.error("maxDigits", "too few distinct " + minDigits + "-" + maxDigits + " digit numbers ("
          + d.distinctNumbers() + ") for " + dictionaries + " dictionaries of " + subkeys + "-subkey keys; need " + needed);
    }
    DataLimits.check(r, d);
    return d;
  }

  @Override
  public String taskName() {
    return TASK;
  }

  /** How many integers have between minDigits and maxDigits digits (0 counts as one digit). */
  public long distinctNumbers() {
    return KvRetrievalData.distinctNumbers(minDigits, maxDigits);
  }

  @Override
  public long maxExampleBytes() {
    long perEntry = (long) (subkeys + 1) * (maxDigits + 2) + 6; // "(a, b, c): v, "
    long perDictionary = 20 + perEntry * Math.max(maxKeys, goldKeys);
    return 1_000 + perDictionary * dictionaries;
  }
}
