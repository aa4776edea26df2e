package io.rhlab.activities.analysis;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.AttentionHead;
import io.rhlab.activities.model.ComputeSlot;
import io.rhlab.activities.model.HeadMaskOperator;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.MaskScope;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.activities.report.ExperimentSummary;
import io.rhlab.activities.report.ReportWriter;
import io.rhlab.activities.report.SummaryJson;
import io.rhlab.activities.stage.MemoizedStage;
import io.rhlab.activities.stage.StageRecorder;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.synthesis.DatasetReader;
import io.rhlab.activities.synthesis.TaskExample;
import io.rhlab.activities.training.StoredModels;
import io.rhlab.db.AnalysisStore;
import io.rhlab.db.AnalysisStore.EvalSlice;
import io.rhlab.db.AnalysisStore.HeadScore;
import io.rhlab.db.AnalysisStore.KnockoutRow;
import io.rhlab.db.AnalysisStore.PatchingRow;
import io.rhlab.db.AnalysisStore.VariantAnalysis;
import io.rhlab.workflows.activities.AnalysisActivities;
import io.rhlab.workflows.activities.AnalysisRequest;
import io.rhlab.workflows.activities.DetectionRequest;
import io.rhlab.workflows.activities.ExperimentReport;
import io.rhlab.workflows.activities.HeadScores;
import io.rhlab.workflows.activities.KnockoutCurve;
import io.rhlab.workflows.activities.KnockoutRequest;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.activities.PatchingOutcome;
import io.rhlab.workflows.activities.PatchingRequest;
import io.rhlab.workflows.activities.ScoredHead;
import io.rhlab.workflows.activities.TaskEvaluationRequest;
import io.rhlab.workflows.activities.TaskScore;
import io.rhlab.workflows.activities.VariantFindings;
import io.rhlab.workflows.spec.DetectionSpec;
import io.temporal.activity.Activity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis stages. Work is done in chunks of {@link #CHUNK} prompts with a heartbeat after
 * each, and the chunks' counts are added up: detection sums scores weighted by accepted tests, the
 * knockout and patching sums are exact because their random head sets depend on the seed and K
 * only, not on the prompts.
 */
public final class AnalysisActivitiesImpl implements AnalysisActivities {
  private static final Logger log = LoggerFactory.getLogger(AnalysisActivitiesImpl.class);
  static final int CHUNK = 4;
  static final int TOP_HEADS = 5;

  private final ObjectStore store;
  private final StoredModels models;
  private final AnalysisStore results;
  private final MemoizedStage stage;
  private final Path workDirectory;

  public AnalysisActivitiesImpl(
      ObjectStore store, StoredModels models, AnalysisStore results, MemoizedStage stage, Path workDirectory) {
    this.store = store;
    this.models = models;
    this.results = results;
    this.stage = stage;
    this.workDirectory = workDirectory;
  }

  @Override
  public TaskScore evaluateTask(TaskEvaluationRequest r) {
    return stage.run(r.experimentId(), r.variant(), "downstream", r.stageKey(), TaskScore.class, x -> true, x -> x,
        recorder -> {
          List<TaskExample> examples = EvaluationPrompts.first(
              new DatasetReader(store).taskExamples(r.data()), r.examples(), "evaluation set " + r.set());
          recorder.begin(0, examples.size());
          try (ComputeSlot.Held slot = ComputeSlot.acquire(AnalysisActivitiesImpl::heartbeat);
              NDManager manager = NDManager.newBaseManager();
              LlamaModel model = models.open(r.model(), dir(r.stageKey()), manager);
              TextTokenizer tokenizer = models.tokenizer(dir(r.stageKey()))) {
            PromptRunner runner = new PromptRunner(model, tokenizer, r.maxNewTokens());
            Map<String, int[]> slices = new TreeMap<>(); // slice -> {correct, total}
            int correct = 0;
            for (int i = 0; i < examples.size(); i++) {
              TaskExample e = examples.get(i);
              String text = runner.run(EvaluationPrompts.prompt(e, tokenizer).tokens(), Instrumentation.NONE).text();
              boolean right = EvaluationPrompts.correct(e, text);
              correct += right ? 1 : 0;
              String slice = EvaluationPrompts.slice(e);
              if (slice != null) {
                int[] count = slices.computeIfAbsent(slice, s -> new int[2]);
                count[0] += right ? 1 : 0;
                count[1]++;
              }
              beat(recorder, i + 1);
            }
            List<EvalSlice> rows = new ArrayList<>(List.of(new EvalSlice("all", correct, examples.size())));
            SortedMap<String, Double> bySlice = new TreeMap<>();
            slices.forEach((s, c) -> {
              rows.add(new EvalSlice(s, c[0], c[1]));
              bySlice.put(s, (double) c[0] / c[1]);
            });
            results.recordEvaluation(r.experimentId(), r.variant(), r.set(), rows);
            TaskScore score = new TaskScore(r.set(), examples.size(), correct, bySlice);
            log.info("{}/{} {}: accuracy {} ({} of {})", r.experimentId(), r.variant(), r.set(),
                score.accuracy(), correct, examples.size());
            return score;
          }
        });
  }

  @Override
  public HeadScores detectHeads(DetectionRequest r) {
    return stage.run(r.experimentId(), r.variant(), "detect-heads", r.stageKey(), HeadScores.class, x -> true,
        x -> x, recorder -> {
          DetectionSpec spec = r.settings();
          List<TaskExample> examples = EvaluationPrompts.first(
              new DatasetReader(store).taskExamples(r.data()), spec.examples(), "detection set");
          recorder.begin(0, examples.size());
          try (ComputeSlot.Held slot = ComputeSlot.acquire(AnalysisActivitiesImpl::heartbeat);
              NDManager manager = NDManager.newBaseManager();
              LlamaModel model = models.open(r.model(), dir(r.stageKey()), manager);
              TextTokenizer tokenizer = models.tokenizer(dir(r.stageKey()))) {
            RetrievalScorer scorer = new RetrievalScorer(new PromptRunner(model, tokenizer, spec.maxNewTokens()),
                new RetrievalScoreOptions(spec.maxNewTokens(), spec.threshold(), compat(spec.compat())));
            int layers = model.config().layers();
            int heads = model.config().heads();
            double[][] weighted = new double[layers][heads]; // sum of chunk mean x chunk accepted
            int[] acceptedSoFar = {0};
            forEachChunk(examples, e -> EvaluationPrompts.needleTest(e, tokenizer), recorder, tests -> {
              RetrievalScores chunk = scorer.score(tests);
              if (chunk.defined()) {
                for (int l = 0; l < layers; l++) {
                  for (int h = 0; h < heads; h++) {
                    weighted[l][h] += chunk.scores()[l][h] * chunk.acceptedTests();
                  }
                }
                acceptedSoFar[0] += chunk.acceptedTests();
              }
            });
            int accepted = acceptedSoFar[0];
            List<ScoredHead> ranked = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
              for (int h = 0; h < heads; h++) {
                ranked.add(new ScoredHead(l, h, accepted == 0 ? 0 : weighted[l][h] / accepted));
              }
            }
            ranked.sort(Comparator.comparingDouble(ScoredHead::score).reversed()
                .thenComparingInt(ScoredHead::layer).thenComparingInt(ScoredHead::head));
            HeadScores scores = new HeadScores(examples.size(), accepted, spec.threshold(), List.copyOf(ranked));
            List<HeadScore> rows = ranked.stream()
                .map(s -> new HeadScore(s.layer(), s.head(), s.score(), s.score() > spec.threshold())).toList();
            results.recordDetection(r.experimentId(), r.variant(), new AnalysisStore.Detection(examples.size(),
                accepted, spec.threshold(), scores.retrievalHeads().size(), ranked.size()), rows);
            log.info("{}/{} retrieval heads: {} of {} (accepted {} of {} prompts); top {}", r.experimentId(),
                r.variant(), scores.retrievalHeads().size(), ranked.size(), accepted, examples.size(),
                ranked.subList(0, Math.min(TOP_HEADS, ranked.size())));
            return scores;
          }
        });
  }

  @Override
  public KnockoutCurve knockout(KnockoutRequest r) {
    return stage.run(r.experimentId(), r.variant(), "knockout", r.stageKey(), KnockoutCurve.class, x -> true,
        x -> x, recorder -> {
          var spec = r.settings();
          List<TaskExample> examples = EvaluationPrompts.first(
              new DatasetReader(store).taskExamples(r.data()), spec.examples(), "knockout set");
          recorder.begin(0, examples.size());
          try (ComputeSlot.Held slot = ComputeSlot.acquire(AnalysisActivitiesImpl::heartbeat);
              NDManager manager = NDManager.newBaseManager();
              LlamaModel model = models.open(r.model(), dir(r.stageKey()), manager);
              TextTokenizer tokenizer = models.tokenizer(dir(r.stageKey()))) {
            int heads = model.config().layers() * model.config().heads();
            List<Integer> ks = spec.ks().stream().filter(k -> k <= heads).toList();
            if (ks.isEmpty()) {
              throw new IllegalArgumentException("knockout.ks: every K exceeds the model's " + heads + " heads");
            }
            KnockoutSweep sweep = new KnockoutSweep(new PromptRunner(model, tokenizer, r.maxNewTokens()),
                new KnockoutSweep.Options(ks, spec.draws(), spec.seed(), operator(spec.operator()), scope(spec.scope())));
            RetrievalScores scores = asLibraryScores(r.heads(), model.config().layers(), model.config().heads());
            KnockoutTally tally = new KnockoutTally();
            forEachChunk(examples, e -> EvaluationPrompts.prompt(e, tokenizer), recorder,
                prompts -> tally.add(sweep.run(scores, prompts)));
            results.recordKnockout(r.experimentId(), r.variant(), tally.rows());
            KnockoutCurve curve = tally.curve();
            log.info("{}/{} knockout: {}", r.experimentId(), r.variant(), curve);
            return curve;
          }
        });
  }

  @Override
  public PatchingOutcome patch(PatchingRequest r) {
    return stage.run(r.experimentId(), r.variant(), "patch", r.stageKey(), PatchingOutcome.class, x -> true,
        x -> x, recorder -> {
          var spec = r.settings();
          List<TaskExample> examples = EvaluationPrompts.first(
              new DatasetReader(store).taskExamples(r.data()), spec.examples(), "downstream set");
          recorder.begin(0, examples.size());
          try (ComputeSlot.Held slot = ComputeSlot.acquire(AnalysisActivitiesImpl::heartbeat);
              NDManager manager = NDManager.newBaseManager();
              LlamaModel target = models.open(r.model(), dir(r.stageKey()).resolve("target"), manager);
              LlamaModel reference = models.open(r.referenceModel(), dir(r.stageKey()).resolve("reference"), manager);
              TextTokenizer tokenizer = models.tokenizer(dir(r.stageKey()).resolve("target"))) {
            Set<AttentionHead> referenceHeads = headSet(r.referenceHeads());
            Set<AttentionHead> targetHeads = headSet(r.heads());
            int common = (int) referenceHeads.stream().filter(targetHeads::contains).count();
            int total = target.config().layers() * target.config().heads();
            int others = total - (int) java.util.stream.Stream.concat(referenceHeads.stream(), targetHeads.stream())
                .distinct().count();
            // random sets as large as the reference's head set, from the heads neither model uses
            int randomSize = Math.min(others, Math.max(1, referenceHeads.size()));
            Map<String, Set<AttentionHead>> sets = ActivationPatching.standardHeadSets(referenceHeads, targetHeads,
                target.config(), randomSize, randomSize == 0 ? 0 : spec.draws(), spec.seed());
            ActivationPatching patching = new ActivationPatching(reference, target, tokenizer, r.maxNewTokens(),
                ActivationPatching.Positions.ALL);
            PatchingTally tally = new PatchingTally(sets);
            forEachChunk(examples, e -> EvaluationPrompts.prompt(e, tokenizer), recorder,
                prompts -> tally.add(patching.run(sets, prompts)));
            results.recordPatching(r.experimentId(), r.variant(), r.reference(), tally.rows());
            PatchingOutcome outcome = tally.outcome(r.reference());
            log.info("{}/{} patching from {} ({} common heads): {}", r.experimentId(), r.variant(), r.reference(),
                common, outcome);
            return outcome;
          }
        });
  }

  @Override
  public ExperimentReport analyze(AnalysisRequest r) {
    return stage.run(r.experimentId(), "", "analyze", r.stageKey(), ExperimentReport.class, x -> true, x -> x,
        recorder -> {
          recorder.begin(0, 1);
          Map<String, Set<AttentionHead>> heads = new LinkedHashMap<>();
          Map<String, Double> downstream = new LinkedHashMap<>();
          for (VariantFindings f : r.variants()) {
            heads.put(f.variant(), headSet(f.heads()));
            downstream.put(f.variant(), f.downstream().accuracy());
          }
          CrossVariantAnalysis.Report cross =
              CrossVariantAnalysis.analyze(r.reference(), heads, downstream, 2000, 0.95, r.seed());
          List<ExperimentSummary.Variant> variants = new ArrayList<>();
          List<VariantAnalysis> rows = new ArrayList<>();
          for (VariantFindings f : r.variants()) {
            Double recall = finite(cross.recall().get(f.variant()));
            List<ScoredHead> ranked = f.heads().ranked();
            List<ScoredHead> byPosition = ranked.stream()
                .sorted(Comparator.comparingInt(ScoredHead::layer).thenComparingInt(ScoredHead::head)).toList();
            variants.add(new ExperimentSummary.Variant(f.variant(),
                f.ownTask() == null ? null : f.ownTask().valueAccuracy(), f.heads().tests(), f.heads().accepted(),
                f.heads().retrievalHeads().size(), ranked.size(), f.heads().retrievalShare(),
                ranked.subList(0, Math.min(TOP_HEADS, ranked.size())), byPosition, f.knockout(), recall,
                f.downstream().accuracy(), f.downstream().slices(), f.patching()));
            rows.add(new VariantAnalysis(f.variant(), f.heads().retrievalHeads().size(), recall,
                f.downstream().accuracy()));
          }
          Double rho = finite(cross.spearman());
          BootstrapInterval ci = cross.spearmanInterval();
          // no interval where the resamples leave rho undefined (e.g. a constant recall)
          double[] interval = ci == null || !Double.isFinite(ci.lower()) || !Double.isFinite(ci.upper()) ? null
              : new double[] {ci.lower(), ci.upper()};
          ExperimentSummary summary = new ExperimentSummary(r.experimentId(), r.reference(), rho, interval, variants);
          String json = SummaryJson.write(summary);
          String prefix = "reports/" + r.stageKey() + "/";
          String summarySha = store.putVerified(prefix + "summary.json", json.getBytes(StandardCharsets.UTF_8),
              "application/json");
          store.putVerified(prefix + "report.html", ReportWriter.html(summary).getBytes(StandardCharsets.UTF_8),
              "text/html");
          store.putVerified(prefix + "report.txt", ReportWriter.text(summary).getBytes(StandardCharsets.UTF_8),
              "text/plain");
          ExperimentReport report = new ExperimentReport(store.uri(prefix + "report.html"),
              store.uri(prefix + "summary.json"), summarySha, rho, interval == null ? null : interval[0],
              interval == null ? null : interval[1]);
          results.recordAnalysis(r.experimentId(), rows, new AnalysisStore.Report(r.reference(), rho,
              report.spearmanLow(), report.spearmanHigh(), report.reportUri(), report.summaryUri(), json));
          log.info("{} report:\n{}", r.experimentId(), ReportWriter.text(summary));
          recorder.progress(1);
          return report;
        });
  }

  /** Runs {@code work} on the examples, {@link #CHUNK} at a time, with a heartbeat after each. */
  private static <T> void forEachChunk(List<TaskExample> examples, java.util.function.Function<TaskExample, T> convert,
      StageRecorder recorder, java.util.function.Consumer<List<T>> work) {
    for (int from = 0; from < examples.size(); from += CHUNK) {
      int to = Math.min(examples.size(), from + CHUNK);
      work.accept(examples.subList(from, to).stream().map(convert).toList());
      beat(recorder, to);
    }
  }

  private static Double finite(Double value) {
    return value == null || !Double.isFinite(value) ? null : value;
  }

  private Path dir(String stageKey) {
    return workDirectory.resolve(stageKey).resolve("analysis");
  }

  private static void heartbeat() {
    Activity.getExecutionContext().heartbeat(null);
  }

  /** Progress to the stage row and a heartbeat, so a lost worker is noticed within the timeout. */
  private static void beat(StageRecorder recorder, long done) {
    recorder.progress(done);
    Activity.getExecutionContext().heartbeat(done);
  }

  static Set<AttentionHead> headSet(HeadScores scores) {
    return scores.retrievalHeads().stream().map(h -> new AttentionHead(h.layer(), h.head()))
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** The workflow's head scores as the library's, so the sweep ranks heads exactly as detected. */
  static RetrievalScores asLibraryScores(HeadScores scores, int layers, int heads) {
    double[][] table = new double[layers][heads];
    for (ScoredHead h : scores.ranked()) {
      table[h.layer()][h.head()] = h.score();
    }
    return new RetrievalScores(table, scores.threshold(), Math.max(1, scores.accepted()), scores.tests(), List.of());
  }

  static ScoringCompat compat(String name) {
    return DetectionSpec.REFERENCE.equals(name) ? ScoringCompat.REFERENCE : ScoringCompat.CORRECT;
  }

  static HeadMaskOperator operator(String name) {
    return switch (name) {
      case "zero" -> HeadMaskOperator.ZERO_OUTPUT;
      case "mean" -> HeadMaskOperator.MEAN_OUTPUT;
      default -> HeadMaskOperator.QUERY_ZERO;
    };
  }

  static MaskScope scope(String name) {
    return "everywhere".equals(name) ? MaskScope.EVERYWHERE : MaskScope.DECODE_ONLY;
  }

  static String label(List<AttentionHead> heads) {
    return heads.stream().map(h -> h.layer() + "." + h.head()).collect(Collectors.joining(" "));
  }

  /** Adds up the knockout counts of the chunks. */
  static final class KnockoutTally {
    private Accuracy baseline = new Accuracy(0, 0);
    private final Map<Integer, KnockoutSweep.Point> shape = new LinkedHashMap<>();
    private final Map<Integer, Accuracy> top = new LinkedHashMap<>();
    private final Map<Integer, List<Accuracy>> random = new LinkedHashMap<>();

    void add(KnockoutSweep.Result result) {
      baseline = sum(baseline, result.baseline());
      for (KnockoutSweep.Point p : result.points()) {
        shape.putIfAbsent(p.k(), p);
        top.merge(p.k(), p.topAccuracy(), KnockoutTally::sum);
        List<Accuracy> draws = random.computeIfAbsent(p.k(), k -> new ArrayList<>());
        for (int d = 0; d < p.randomAccuracy().size(); d++) {
          if (draws.size() <= d) {
            draws.add(new Accuracy(0, 0));
          }
          draws.set(d, sum(draws.get(d), p.randomAccuracy().get(d)));
        }
      }
    }

    List<KnockoutRow> rows() {
      List<KnockoutRow> rows = new ArrayList<>();
      for (int k : shape.keySet()) {
        KnockoutSweep.Point p = shape.get(k);
        rows.add(new KnockoutRow(k, "top", 0, label(p.topHeads()), top.get(k).correct(), top.get(k).total()));
        List<Accuracy> draws = random.get(k);
        for (int d = 0; d < draws.size(); d++) {
          rows.add(new KnockoutRow(k, "random", d + 1, label(p.randomHeads().get(d)), draws.get(d).correct(),
              draws.get(d).total()));
        }
      }
      return rows;
    }

    KnockoutCurve curve() {
      List<KnockoutCurve.Point> points = new ArrayList<>();
      for (int k : shape.keySet()) {
        List<Double> values = random.get(k).stream().map(Accuracy::value).toList();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        points.add(new KnockoutCurve.Point(k, top.get(k).value(), mean, min, max, values.size()));
      }
      return new KnockoutCurve(baseline.value(), points);
    }

    private static Accuracy sum(Accuracy a, Accuracy b) {
      return new Accuracy(a.correct() + b.correct(), a.total() + b.total());
    }
  }

  /** Adds up the patching counts of the chunks; random sets are reported by their mean. */
  static final class PatchingTally {
    private final Map<String, Set<AttentionHead>> sets;
    private final Map<String, Accuracy[]> counts = new LinkedHashMap<>(); // {reference, target, patched}

    PatchingTally(Map<String, Set<AttentionHead>> sets) {
      this.sets = sets;
    }

    void add(List<ActivationPatching.Outcome> outcomes) {
      for (ActivationPatching.Outcome o : outcomes) {
        Accuracy[] c = counts.computeIfAbsent(o.name(),
            n -> new Accuracy[] {new Accuracy(0, 0), new Accuracy(0, 0), new Accuracy(0, 0)});
        c[0] = KnockoutTally.sum(c[0], o.reference());
        c[1] = KnockoutTally.sum(c[1], o.target());
        c[2] = KnockoutTally.sum(c[2], o.patched());
      }
    }

    List<PatchingRow> rows() {
      List<PatchingRow> rows = new ArrayList<>();
      counts.forEach((name, c) -> {
        boolean random = name.startsWith("random-");
        int draw = random ? Integer.parseInt(name.substring("random-".length())) + 1 : 0;
        double recovery = ActivationPatching.recovery(c[2].value(), c[1].value(), c[0].value());
        rows.add(new PatchingRow(random ? "random" : name, draw, label(new ArrayList<>(sets.get(name))),
            c[1].value(), c[0].value(), c[2].value(), Double.isFinite(recovery) ? recovery : null));
      });
      return rows;
    }

    PatchingOutcome outcome(String reference) {
      double target = 0;
      double referenceMetric = 0;
      List<PatchingOutcome.Point> points = new ArrayList<>();
      double randomSum = 0;
      int randomDraws = 0;
      int randomHeads = 0;
      for (Map.Entry<String, Accuracy[]> e : counts.entrySet()) {
        Accuracy[] c = e.getValue();
        target = c[1].value();
        referenceMetric = c[0].value();
        if (e.getKey().startsWith("random-")) {
          randomSum += c[2].value();
          randomDraws++;
          randomHeads = sets.get(e.getKey()).size();
        } else {
          points.add(point(e.getKey(), sets.get(e.getKey()).size(), c[2].value(), c[1].value(), c[0].value()));
        }
      }
      if (randomDraws > 0) {
        points.add(point("random", randomHeads, randomSum / randomDraws, target, referenceMetric));
      }
      return new PatchingOutcome(reference, target, referenceMetric, points);
    }

    private static PatchingOutcome.Point point(String name, int heads, double patched, double target, double ref) {
      double recovery = ActivationPatching.recovery(patched, target, ref);
      return new PatchingOutcome.Point(name, heads, patched, Double.isFinite(recovery) ? recovery : null);
    }
  }
}
