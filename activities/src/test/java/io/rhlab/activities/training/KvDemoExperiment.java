package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.synthesis.KvExample;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The research run behind the embedded demo: train a small Llama from scratch on CPU, first on the
 * {@link InductionCurriculum}, then on single-question key-value retrieval examples from the
 * project's generator, and evaluate greedy answers on held-out examples.
 *
 * <p>Run (after {@code mvn -pl activities test-compile}):
 *
 * <pre>
 * java -cp activities/target/classes:activities/target/test-classes:$(deps) \
 *     io.rhlab.activities.training.KvDemoExperiment [key=value ...]
 * </pre>
 *
 * Keys and defaults are in {@link #DEFAULTS}; every setting is printed at the start.
 */
public final class KvDemoExperiment {

  /** The recommended demo configuration; override any key on the command line. */
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    // Task: 3 dictionaries of 2-3 two-digit keys; 6-8 values per prompt, chance about 1/7.
    DEFAULTS.put("dictionaries", "3");
    DEFAULTS.put("goldKeys", "2");
    DEFAULTS.put("minKeys", "2");
    DEFAULTS.put("maxKeys", "3");
    DEFAULTS.put("minDigits", "2");
    DEFAULTS.put("maxDigits", "2");
    DEFAULTS.put("template", "false");
    // Model.
    DEFAULTS.put("dModel", "128");
    DEFAULTS.put("layers", "2");
    DEFAULTS.put("heads", "4");
    DEFAULTS.put("dFf", "64");
    // Stages: kind:steps:batch:lr[:digits], run in order with a fresh optimizer each; kinds are
    // copy, keyed, keyedp, lookup, mix (curriculum) and fine (single-question examples).
    DEFAULTS.put("stages", "keyed:600:32:2e-3,fine:200:16:1e-3");
    DEFAULTS.put("extraQueries", "5");
    DEFAULTS.put("copyNumbers", "24");
    DEFAULTS.put("recallPairs", "8");
    DEFAULTS.put("fineExamples", "2000");
    DEFAULTS.put("recallMinDigits", "2");
    DEFAULTS.put("recallMaxDigits", "2");
    DEFAULTS.put("wCopy", "1");
    DEFAULTS.put("wOrdered", "1");
    DEFAULTS.put("wRecall", "1");
    DEFAULTS.put("wKeyed", "0");
    DEFAULTS.put("wLookup", "0");
    DEFAULTS.put("wEcho", "0");
    DEFAULTS.put("keyedQueries", "8");
    DEFAULTS.put("keyedDicts", "3");
    DEFAULTS.put("keyedMinKeys", "2");
    DEFAULTS.put("keyedMaxKeys", "3");
    // Evaluation.
    DEFAULTS.put("evalExamples", "200");
    DEFAULTS.put("probeEvery", "100");
    DEFAULTS.put("probeExamples", "30");
    DEFAULTS.put("seed", "1");
    DEFAULTS.put("vocabulary", "corpus"); // corpus or template
    DEFAULTS.put("minLr", "0.3");
    DEFAULTS.put("init", "");
    DEFAULTS.put("ckpt", "");
    DEFAULTS.put("save", "");
    DEFAULTS.put("periodShare", "0.5");
    DEFAULTS.put("bias", "true");
    DEFAULTS.put("pairs", "false");
    DEFAULTS.put("recency", "-1/-2/-3/-4"); // RecencyPrior's leads 1..4
    DEFAULTS.put("shiftAmp", "3");
    DEFAULTS.put("recencyAmps", "");
    DEFAULTS.put("biasStd", "0");
    DEFAULTS.put("theta", "10000");
    DEFAULTS.put("periodLength", "40");
  }

  private static java.util.function.Supplier<InductionCurriculum> curriculumOf;
  private static List<TrainingSequence> forcedProbe = List.of();
  private static io.rhlab.activities.model.TextTokenizer tokenizer;

  private KvDemoExperiment() {}

  /**
   * Teacher-forced accuracy of the value digits that follow "is " in answers: the first digit
   * (where the binding is decided) and the second given the first.
   */
  static String forcedValueAccuracy(LlamaModel model, List<TrainingSequence> examples) {
    if (examples.isEmpty()) {
      return "";
    }
    io.rhlab.activities.model.TextTokenizer tokenizer = KvDemoExperiment.tokenizer;
    int is = tokenizer.encode("is")[0];
    int space = tokenizer.encode(" ")[0];
    SequenceEncoder encoder = new SequenceEncoder(tokenizer, 100_000);
    List<SequenceEncoder.Row> rows = new ArrayList<>();
    examples.forEach(e -> rows.add(encoder.encode(e, "probe")));
    TokenBatch batch = encoder.pack(rows);
    int[] hit = new int[2];
    int[] total = new int[2];
    try (NDManager scope = NDManager.newBaseManager()) {
      ai.djl.ndarray.NDArray ids = Trainer.nativeTokens(scope, batch);
      ai.djl.ndarray.NDArray logits = model.forward(ids).logits();
      long[] argmax = logits.argMax(2).toLongArray();
      int length = batch.length();
      for (int b = 0; b < batch.batchSize(); b++) {
        int[] t = batch.tokens()[b];
        for (int p = 3; p < length; p++) {
          if (batch.targetMask()[b][p] == 0) {
            continue;
          }
          int which = t[p - 2] == is && t[p - 1] == space ? 0 : t[p - 3] == is && t[p - 2] == space ? 1 : -1;
          if (which >= 0 && Character.isDigit(tokenizer.decode(new int[] {t[p]}).charAt(0))) {
            total[which]++;
            hit[which] += argmax[b * length + p - 1] == t[p] ? 1 : 0;
          }
        }
      }
    }
    return String.format("forced v1=%.3f (%d) v2=%.3f", (double) hit[0] / Math.max(1, total[0]), total[0], (double) hit[1] / Math.max(1, total[1]));
  }

  public static void main(String[] args) throws java.io.IOException {
    Map<String, String> settings = new LinkedHashMap<>(DEFAULTS);
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || !settings.containsKey(kv[0])) {
        throw new IllegalArgumentException("unknown argument " + arg + "; keys: " + settings.keySet());
      }
      settings.put(kv[0], kv[1]);
    }
    System.out.println("settings " + settings);
    run(settings);
  }

  static void run(Map<String, String> s) throws java.io.IOException {
    long seed = Long.parseLong(s.get("seed"));
    SyntheticTokenizer synthetic = s.get("vocabulary").equals("corpus") ? SyntheticTokenizer.withCorpusWords() : SyntheticTokenizer.withTemplateWords();
    tokenizer = Boolean.parseBoolean(s.get("pairs")) ? new PairDigitTokenizer(synthetic) : synthetic;
    KvRetrievalData shape =
        new KvRetrievalData(
            1, integer(s, "dictionaries"), integer(s, "goldKeys"), integer(s, "minKeys"),
            integer(s, "maxKeys"), integer(s, "minDigits"), integer(s, "maxDigits"),
            Boolean.parseBoolean(s.get("template")), seed, 1000);
    InductionCurriculum.requireEnoughNumbers(shape);
    KvRetrievalGenerator train = new KvRetrievalGenerator(InductionCurriculum.withSeed(shape, seed * 1000 + 1));
    KvRetrievalGenerator held = new KvRetrievalGenerator(InductionCurriculum.withSeed(shape, seed * 1000 + 2));
    List<TrainingExample> fineExamples = new ArrayList<>();
    for (int i = 0; i < integer(s, "fineExamples"); i++) {
      fineExamples.add(TrainingExample.of(train.example(i)));
    }
    List<KvExample> evalExamples = new ArrayList<>();
    for (int i = 0; i < integer(s, "evalExamples"); i++) {
      evalExamples.add(held.example(i));
    }
    List<KvExample> probeExamples = evalExamples.subList(0, Math.min(evalExamples.size(), integer(s, "probeExamples")));
    int seqLen = 1024;
    ModelConfig config =
        new ModelConfig(
            tokenizer.vocabSize(), integer(s, "dModel"), integer(s, "layers"), integer(s, "heads"),
            integer(s, "heads"), integer(s, "dFf"), Double.parseDouble(s.get("theta")), seqLen, true, 1e-5,
            Boolean.parseBoolean(s.get("bias")));
    System.out.println("example prompt+answer:\n" + fineExamples.get(0).prompt() + fineExamples.get(0).answer());
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model =
            s.get("init").isEmpty()
                ? LlamaModel.initialize(config, seed, manager)
                : io.rhlab.activities.model.LlamaCheckpoint.load(java.nio.file.Path.of(s.get("init")), manager)) {
      System.out.printf("model %s, %d parameters%n", config, model.parameterCount());
      String[] recency = s.get("recency").isEmpty() ? new String[0] : s.get("recency").split("/");
      if (recency.length > 0 && s.get("init").isEmpty()) { // a loaded model keeps its biases
        // layer 0's q/k biases as in RecencyPrior, with head h's peak at distance recency[h]
        // (negative: in the masked future, a gentle decay) and amplitude recencyAmps[h] or shiftAmp
        String[] amps = (s.get("recencyAmps").isEmpty() ? s.get("shiftAmp") : s.get("recencyAmps")).split("/");
        int hd = config.dModel() / config.heads();
        for (io.rhlab.activities.model.NamedParameter p : model.parameters()) {
          boolean query = p.name().equals("model.layers.0.self_attn.q_proj.bias");
          if (query || p.name().equals("model.layers.0.self_attn.k_proj.bias")) {
            float[] v = new float[Math.toIntExact(p.array().size())];
            for (int h = 0; h < v.length / hd; h++) {
              double amplitude = Double.parseDouble(amps[h % amps.length]);
              double peak = Double.parseDouble(recency[h % recency.length]);
              io.rhlab.activities.model.RecencyPrior.fillHead(v, h, hd, config.ropeTheta(), amplitude, -peak, query);
            }
            p.array().addi(manager.create(v, p.array().getShape()));
          }
        }
      }
      double biasStd = Double.parseDouble(s.get("biasStd"));
      if (biasStd > 0) {
        java.util.Random r = new java.util.Random(seed);
        for (io.rhlab.activities.model.NamedParameter p : model.parameters()) {
          if (p.name().endsWith("bias")) {
            float[] v = new float[Math.toIntExact(p.array().size())];
            for (int i = 0; i < v.length; i++) {
              v[i] = (float) (r.nextGaussian() * biasStd);
            }
            p.array().addi(manager.create(v, p.array().getShape()));
          }
        }
      }
      KvEvaluator evaluator = new KvEvaluator(model, tokenizer, 40);
      double trainSeconds = 0;
      int stageIndex = 0;
      for (String stage : s.get("stages").split(",")) {
        String[] f = stage.split(":");
        String kind = f[0];
        TrainingConfig d =
            TrainingConfig.defaults(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), seqLen, seed + stageIndex);
        TrainingConfig tc =
            new TrainingConfig(d.steps(), d.batchSize(), 1, d.learningRate(), d.warmupSteps(), Double.parseDouble(s.get("minLr")),
                d.weightDecay(), d.beta1(), d.beta2(), d.eps(), d.clipNorm(), d.seqLen(), d.seed());
        BatchSource data;
        if (kind.equals("fine")) {
          data = new ShuffledBatches(fineExamples, tokenizer, tc);
        } else {
          InductionCurriculum.Mix mix =
              switch (kind) {
                case "copy" -> InductionCurriculum.Mix.copyOnly(integer(s, "copyNumbers"));
                case "keyed" -> InductionCurriculum.Mix.keyedOnly(integer(s, "keyedQueries"));
                case "lookup" -> InductionCurriculum.Mix.lookupOnly(integer(s, "extraQueries"));
                case "mix" -> new InductionCurriculum.Mix(
                    Double.parseDouble(s.get("wCopy")), Double.parseDouble(s.get("wKeyed")), Double.parseDouble(s.get("wLookup")),
                    integer(s, "copyNumbers"), integer(s, "keyedQueries"));
                case "keyedp" -> InductionCurriculum.Mix.keyedOnly(integer(s, "keyedQueries"));
                default -> throw new IllegalArgumentException("unknown stage kind " + kind);
              };
          // optional fifth field: the keyed stage's digit range, "1" or "1-2" (default recall*Digits)
          int[] stageDigits =
              f.length > 4
                  ? java.util.Arrays.stream(f[4].split("-")).mapToInt(Integer::parseInt).toArray()
                  : new int[] {integer(s, "recallMinDigits"), integer(s, "recallMaxDigits")};
          if (stageDigits.length == 1) {
            stageDigits = new int[] {stageDigits[0], stageDigits[0]};
          }
          KvRetrievalData curriculumShape =
                  kind.equals("keyed") || kind.equals("mix") || kind.equals("keyedp")
                      ? new KvRetrievalData(1, integer(s, "keyedDicts"), 1, integer(s, "keyedMinKeys"), integer(s, "keyedMaxKeys"), stageDigits[0], stageDigits[1], false, seed, 1000)
                      : shape;
          InductionCurriculum curriculum = new InductionCurriculum(curriculumShape, seed * 1000 + 10 + stageIndex, mix);
          TrainingSequence sample = curriculum.apply(0);
          System.out.println(kind + " example:\n" + sample.text() + "\n" + sample.segments());
          double periodShare = Double.parseDouble(s.get("periodShare"));
          java.util.function.LongFunction<TrainingSequence> gen =
              kind.equals("keyedp")
                  ? pos -> {
                      java.util.SplittableRandom r = new java.util.SplittableRandom(pos * 0x9E3779B97F4A7C15L + 77);
                      return r.nextDouble() < periodShare ? periodic(r, integer(s, "periodLength")) : curriculum.apply(pos);
                    }
                  : curriculum;
          if (kind.equals("keyedp")) {
            System.out.println("periodic example:\n" + periodic(new java.util.SplittableRandom(5), integer(s, "periodLength")).text());
          }
          data = new GeneratedBatches(gen, curriculum.describe(), tokenizer, tc);
          curriculumOf = () -> curriculum;
        }
        boolean probe = kind.equals("fine") || kind.equals("lookup");
        List<TrainingSequence> forced = new ArrayList<>();
        if (kind.equals("fine") || kind.equals("lookup")) {
          evalExamples.stream().limit(64).forEach(e -> forced.add(TrainingExample.of(e).toSequence()));
        } else if (data instanceof GeneratedBatches) {
          InductionCurriculum c = curriculumOf.get();
          for (int i = 0; i < 64; i++) {
            forced.add(c.apply(10_000_000L + i));
          }
        }
        forcedProbe = forced;
        java.nio.file.Path stageCheckpoint =
            s.get("ckpt").isEmpty() ? null : java.nio.file.Path.of(s.get("ckpt"), "stage" + stageIndex);
        trainSeconds += phase(kind, model, tc, data, evaluator, probe ? probeExamples : List.of(), integer(s, "probeEvery"), stageCheckpoint);
        if (probe) {
          System.out.println("  after " + kind + ": " + evaluator.evaluate(probeExamples).summary());
        }
        stageIndex++;
      }
      if (!s.get("save").isEmpty()) {
        io.rhlab.activities.model.LlamaCheckpoint.save(model, java.nio.file.Path.of(s.get("save")));
      }
      long started = System.nanoTime();
      KvEvaluator.Result result = evaluator.evaluate(evalExamples);
      double evalSeconds = (System.nanoTime() - started) / 1e9;
      for (int i = 0; i < 5; i++) {
        KvEvaluator.Scored sc = result.scored().get(i);
        System.out.println("  gold: " + sc.example().answer() + "\n  got:  " + sc.generated());
      }
      System.out.printf("RESULT train_seconds=%.1f eval_seconds=%.1f %s%n", trainSeconds, evalSeconds, result.summary());
    }
  }

  private static double phase(
      String name, LlamaModel model, TrainingConfig config, BatchSource data, KvEvaluator evaluator,
      List<KvExample> probe, int probeEvery, java.nio.file.Path checkpoint) throws java.io.IOException {
    double seconds = 0;
    double lossSum = 0;
    int lossCount = 0;
    try (Trainer trainer = new Trainer(model, config, data)) {
      if (checkpoint != null && java.nio.file.Files.exists(checkpoint.resolve(TrainingCheckpoint.STATE_FILE))) {
        // Resume after a kill: weights and optimizer state into this model and trainer.
        try (NDManager scratch = NDManager.newBaseManager();
            TrainingCheckpoint.Restored restored = TrainingCheckpoint.read(checkpoint, scratch, c -> data)) {
          for (io.rhlab.activities.model.NamedParameter p : model.parameters()) {
            p.array().muli(0).addi(restored.model().parameter(p.name()));
          }
          trainer.restore(restored.trainer().completedSteps(), restored.trainer().optimizer().state(), restored.trainer().optimizer().updates());
          seconds = Double.parseDouble(java.nio.file.Files.readString(checkpoint.resolve("seconds.txt")).strip());
          System.out.printf("%s resumed at step %d (%.1fs)%n", name, trainer.completedSteps(), seconds);
        }
      }
      while (!trainer.finished()) {
        long started = System.nanoTime();
        StepMetrics m = trainer.step();
        seconds += (System.nanoTime() - started) / 1e9;
        lossSum += m.loss();
        lossCount++;
        if ((m.step() + 1) % 25 == 0) {
          System.out.printf(
              "%s step %d loss %.4f lr %.2e grad %.2f tok/s %.0f elapsed %.1fs%n",
              name, m.step() + 1, lossSum / lossCount, m.learningRate(), m.gradNorm(), m.tokensPerSecond(), seconds);
          lossSum = 0;
          lossCount = 0;
          if ((m.step() + 1) % 100 == 0) {
            System.out.println("  " + forcedValueAccuracy(model, forcedProbe));
          }
        }
        if (checkpoint != null && ((m.step() + 1) % 100 == 0 || trainer.finished())) {
          TrainingCheckpoint.write(checkpoint, trainer);
          java.nio.file.Files.writeString(checkpoint.resolve("seconds.txt"), Double.toString(seconds));
        }
        if (!probe.isEmpty() && probeEvery > 0 && (m.step() + 1) % probeEvery == 0 && !trainer.finished()) {
          System.out.println("  probe " + evaluator.evaluate(probe).summary());
        }
      }
    }
    System.out.printf("%s done in %.1fs%n", name, seconds);
    return seconds;
  }

  /**
   * A line of random digits and symbols in which every token repeats the one 4 back (period 4) or
   * 5 back (period 5), announced by a first token: rewards heads at a fixed offset of 3 or 4.
   */
  static TrainingSequence periodic(java.util.SplittableRandom random, int length) {
    String alphabet = "0123456789:,{}[]";
    int period = 4 + random.nextInt(2);
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < period; i++) {
      block.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    StringBuilder rest = new StringBuilder();
    while (rest.length() < length) {
      rest.append(block);
    }
    return TrainingSequence.builder().context((period == 4 ? "is" : "in") + block).target(rest.toString()).build();
  }

  private static int integer(Map<String, String> s, String key) {
    return Integer.parseInt(s.get(key));
  }
}
