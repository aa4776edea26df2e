package io.rhlab.workflows.spec;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The base model every variant starts from: pre-trained from scratch (the embedded default, a
 * model of a few million parameters) or imported from a Hugging Face Llama-style checkpoint
 * directory in the object store.
 *
 * @param source {@code pretrain} or {@code import}
 * @param importUri s3://bucket/prefix/ holding config.json and model.safetensors (import only)
 * @param architecture the transformer's shape (pretrain only)
 * @param pretrain how to pre-train it (pretrain only)
 * @param curriculum what to pre-train it on (pretrain only)
 */
public record ModelSpec(
    String source, String importUri, Architecture architecture, TrainSpec pretrain, Curriculum curriculum) {
  public static final String PRETRAIN = "pretrain";
  public static final String IMPORT = "import";

  /** s3://bucket/key-prefix with a safe alphabet and no parent-directory steps. */
  static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._=-]+)*/?");

  /**
   * A Llama-architecture decoder.
   *
   * @param dModel hidden size; a multiple of heads
   * @param kvHeads key-value heads (grouped-query attention when fewer than heads)
   * @param attentionBias q/k/v projection biases (Qwen2 style; exported as Qwen2ForCausalLM)
   * @param recencyPrior amplitude of layer 0's initial recency preference through those biases
   *     (RecencyPrior in activities), or 0 for none; needs attentionBias
   */
  public record Architecture(
      int dModel, int layers, int heads, int kvHeads, int dFf, double ropeTheta, int maxLen,
      boolean tiedEmbeddings, boolean attentionBias, double recencyPrior) {

    /** An architecture without attention biases or prior. */
    public Architecture(
        int dModel, int layers, int heads, int kvHeads, int dFf, double ropeTheta, int maxLen,
        boolean tiedEmbeddings) {
      this(dModel, layers, heads, kvHeads, dFf, ropeTheta, maxLen, tiedEmbeddings, false, 0);
    }

    static Architecture read(SpecReader r) {
      int d = r.integer("dModel", 128, 8, 16_384);
      int layers = r.integer("layers", 4, 1, 256);
      int heads = r.integer("heads", 8, 1, 512);
      int kv = r.integer("kvHeads", heads, 1, 512);
      int ff = r.integer("dFf", 4 * d, 8, 65_536);
      double theta = r.number("ropeTheta", 10_000, 1, 1e9);
      int maxLen = r.integer("maxLen", 1024, 16, 1 << 20);
      boolean tied = r.bool("tiedEmbeddings", true);
      boolean bias = r.bool("attentionBias", false);
      double prior = r.number("recencyPrior", 0, 0, 100);
      if (prior > 0 && !bias) {
        r.error("recencyPrior", "needs attentionBias: true (the prior is set through the q/k biases)");
      }
      if (d % heads != 0) {
        r.error("heads", "must divide dModel (" + d + ")");
      }
      if (heads % kv != 0) {
        r.error("kvHeads", "must divide heads (" + heads + ")");
      }
      // parameters ~ layers * (4 d^2 + 3 d dFf): a spec must not ask a worker for > ~16 GB of fp32
      if ((double) layers * (4.0 * d * d + 3.0 * d * ff) > 4e9) {
        r.error("layers", "the model would exceed 4 billion parameters");
      }
      return new Architecture(d, layers, heads, kv, ff, theta, maxLen, tied, bias, prior);
    }
  }

  /**
   * Pre-training data that forms induction and lookup heads before any variant's fine-tuning, as
   * a weighted mix of sequence kinds (see InductionCurriculum): copy lines (random pieces, then
   * the same pieces again), compact keyed lookup (dictionary lines, then {@code key K is V} lines),
   * and key-value prompts of the given shape answered for several keys at once.
   *
   * @param data the shape of the lookup prompts (its examples and examplesPerChunk are unused)
   * @param copy weight of copy sequences
   * @param keyed weight of compact keyed-lookup sequences
   * @param lookup weight of real-format multi-query sequences
   * @param copyLength pieces per copy line
   * @param queries most query lines per keyed sequence, or extra answer lines per lookup one
   * @param keyedSteps the first pre-training steps draw keyed sequences only, then the mix
   */
  public record Curriculum(
      KvRetrievalData data, double copy, double keyed, double lookup, int copyLength, int queries,
      int keyedSteps) {
    static Curriculum read(SpecReader r, long seed) {
      SpecReader d = r.object("data");
      KvRetrievalData data = null;
      if (d != null) {
        data = KvRetrievalData.read(d, seed, CURRICULUM_DATA_DEFAULTS);
        d.finish();
      }
      double copy = r.number("copy", 1, 0, 1000);
      double keyed = r.number("keyed", 1, 0, 1000);
      double lookup = r.number("lookup", 1, 0, 1000);
      if (copy + keyed + lookup <= 0) {
        r.error("lookup", "the weights copy, keyed and lookup must not all be 0");
      }
      int copyLength = r.integer("copyLength", 24, 1, 256);
      int queries = r.integer("queries", 6, 0, 64);
      int keyedSteps = r.integer("keyedSteps", 0, 0, 10_000_000);
      return new Curriculum(data, copy, keyed, lookup, copyLength, queries, keyedSteps);
    }
  }

  /** The lookup prompts of the default curriculum: small enough for a few-million-parameter model. */
  static final KvRetrievalData CURRICULUM_DATA_DEFAULTS =
      new KvRetrievalData(1, 3, 2, 2, 3, 2, 2, false, 0, 1);

  /** Defaults of pre-training, tuned for the embedded default on 2 CPU cores. */
  static final TrainSpec PRETRAIN_DEFAULTS =
      new TrainSpec(600, 16, 1, 1e-3, 50, 0.1, 0.01, 1.0, 256, 200, 0, 1);

  static ModelSpec read(SpecReader r) {
    String source = r.choice("source", PRETRAIN, List.of(PRETRAIN, IMPORT));
    if (IMPORT.equals(source)) {
      String uri = r.text("importUri", null, S3_URI, "must be an s3://bucket/prefix URI without '..'");
      if (uri != null && uri.contains("..")) {
        r.error("importUri", "must not contain '..'");
      }
      for (String pretrainOnly : List.of("architecture", "pretrain", "curriculum")) {
        r.absent(pretrainOnly, "only with source pretrain");
      }
      return new ModelSpec(source, uri, null, null, null);
    }
    r.absent("importUri", "only with source import");
    SpecReader a = r.object("architecture");
    Architecture arch = a == null ? null : Architecture.read(a);
    if (a != null) {
      a.finish();
    }
    SpecReader p = r.object("pretrain");
    TrainSpec pretrain = p == null ? null : TrainSpec.read(p, PRETRAIN_DEFAULTS);
    if (p != null) {
      p.finish();
    }
    if (arch != null && pretrain != null && pretrain.seqLen() > arch.maxLen()) {
      r.error("pretrain", "seqLen " + pretrain.seqLen() + " exceeds architecture.maxLen " + arch.maxLen());
    }
    SpecReader c = r.object("curriculum");
    Curriculum curriculum = null;
    if (c != null) {
      curriculum = Curriculum.read(c, pretrain == null ? 1 : pretrain.seed());
      int steps = pretrain == null ? PRETRAIN_DEFAULTS.steps() : pretrain.steps();
      if (curriculum.keyedSteps() > steps) {
        c.error("keyedSteps", "must be at most pretrain.steps (" + steps + ")");
      }
      c.finish();
    }
    return new ModelSpec(source, null, arch, pretrain, curriculum);
  }
}
