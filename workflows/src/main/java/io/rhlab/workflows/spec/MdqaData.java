package io.rhlab.workflows.spec;

import java.util.List;

/**
 * Multi-document QA in the Lost-in-the-Middle prompt, from real text: documents are Europarl
 * passages under their debate titles; a fact planted in the gold document answers the question,
 * and the other documents do not contain the answer. With two hops (MuSiQue-like) the answer needs
 * a second planted fact in a second document, which the first one's answer leads to. Example i puts
 * the gold document at goldPositions[i mod size].
 *
 * @param examples how many prompts
 * @param documents documents per prompt (the paper: 20)
 * @param goldPositions 1-based positions of the gold document (the paper: 1, 5, 10, 15, 20)
 * @param hops 1, or 2 for the two-hop variant
 * @param documentTokens length of each document's text, in tokens of the synthetic tokenizer
 * @param seed generation seed; example i depends only on (seed, i)
 * @param examplesPerChunk examples per JSONL object in the store, the unit of resume
 */
public record MdqaData(
    int examples,
    int documents,
    List<Integer> goldPositions,
    int hops,
    int documentTokens,
    long seed,
    int examplesPerChunk)
    implements TaskData {

  public static final String TASK = "mdqa";

  static MdqaData read(SpecReader r, long defaultSeed) {
    int examples = r.integer("examples", 350, 1, 1_000_000);
    int documents = r.integer("documents", 20, 2, 200);
    List<Integer> positions = r.integers("goldPositions", List.of(1, 5, 10, 15, 20), 200, 1, 200);
    int hops = r.integer("hops", 1, 1, 2);
    int documentTokens = r.integer("documentTokens", 100, 24, 8_192);
    long seed = r.longValue("seed", defaultSeed, Long.MIN_VALUE, Long.MAX_VALUE);
    int perChunk = r.integer("examplesPerChunk", 1_000, 1, 100_000);
    if (positions.stream().anyMatch(p -> p > documents)) {
      r.error("goldPositions", "every position must be in [1, documents] = [1, " + documents + "]");
    }
    MdqaData d = new MdqaData(examples, documents, positions, hops, documentTokens, seed, perChunk);
    DataLimits.check(r, d);
    return d;
  }

  @Override
  public String taskName() {
    return TASK;
  }

  @Override
  public long maxExampleBytes() {
    return 1_000 + DataLimits.BYTES_PER_TOKEN * ((long) documents * (documentTokens + 16) + 64);
  }
}
