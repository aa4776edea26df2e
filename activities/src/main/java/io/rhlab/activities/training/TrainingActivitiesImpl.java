package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.checkpoint.CheckpointStore;
import io.rhlab.activities.checkpoint.CheckpointStore.Owner;
import io.rhlab.activities.model.CheckpointTokenizer;
import io.rhlab.activities.model.HfTokenizer;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.ComputeSlot;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.RecencyPrior;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.activities.model.TextTokenizer;
import io.rhlab.activities.stage.MemoizedStage;
import io.rhlab.activities.stage.StageRecorder;
import io.rhlab.activities.storage.ObjectStore;
import io.rhlab.activities.synthesis.DatasetReader;
import io.rhlab.activities.synthesis.KvExample;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.db.CheckpointRecords.CheckpointRow;
import io.rhlab.db.MetricStore;
import io.rhlab.db.MetricStore.Metric;
import io.rhlab.workflows.activities.BaseModelRequest;
import io.rhlab.workflows.activities.EvaluationRequest;
import io.rhlab.workflows.activities.EvaluationResult;
import io.rhlab.workflows.activities.FineTuneRequest;
import io.rhlab.workflows.activities.ModelRef;
import io.rhlab.workflows.activities.TrainingActivities;
import io.rhlab.workflows.activities.TrainingProgress;
import io.rhlab.workflows.spec.KvRetrievalData;
import io.rhlab.workflows.spec.ModelSpec;
import io.rhlab.workflows.spec.TrainSpec;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model stages. Training runs on DJL's default device (a GPU when the engine sees one),
 * checkpoints every {@code checkpointEvery} steps through {@link CheckpointStore}, logs per-step
 * metrics to PostgreSQL, and heartbeats {@link TrainingProgress}. A retried attempt resumes from the
 * newest intact checkpoint of its stage key; since batches and the learning rate are functions of
 * the step, the resumed run ends with the weights an uninterrupted one would have.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  static final String BASE_MODEL = "base-model";
  static final String FINETUNE = "finetune";
  static final String EVALUATE = "evaluate";

  /** Metrics are written in batches of at most this many steps (and at every checkpoint). */
  static final int METRIC_FLUSH_STEPS = 25;

  private final ObjectStore store;
  private final CheckpointStore checkpoints;
  private final MetricStore metrics;
  private final MemoizedStage stage;
  private final Path workDirectory;

  public TrainingActivitiesImpl(
      ObjectStore store, CheckpointStore checkpoints, MetricStore metrics, MemoizedStage stage, Path workDirectory) {
    this.store = store;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    this.stage = stage;
    this.workDirectory = workDirectory;
  }

  @Override
  public ModelRef prepareBaseModel(BaseModelRequest r) {
    Owner owner = new Owner(r.experimentId(), "", BASE_MODEL, r.stageKey());
    return stage.run(r.experimentId(), "", BASE_MODEL, r.stageKey(), ModelRef.class, this::intact,
        TrainingActivitiesImpl::reused, recorder -> {
          ModelSpec m = r.model();
          if (ModelSpec.IMPORT.equals(m.source())) {
            return importModel(owner, m.importUri(), recorder);
          }
          ModelSpec.Architecture a = m.architecture();
          // from scratch: the synthetic tokenizer, recorded in every checkpoint of the model
          io.rhlab.activities.model.SyntheticTokenizer tokenizer = io.rhlab.activities.model.BuiltInTokenizer.get();
          ModelConfig config = new ModelConfig(tokenizer.vocabSize(), a.dModel(), a.layers(), a.heads(),
              a.kvHeads(), a.dFf(), a.ropeTheta(), a.maxLen(), a.tiedEmbeddings(), 1e-5, a.attentionBias());
          RecencyPrior prior = a.recencyPrior() > 0 ? new RecencyPrior(a.recencyPrior()) : null;
          TrainSpec t = m.pretrain();
          ModelSpec.Curriculum c = m.curriculum();
          long keyedBefore = (long) c.keyedSteps() * t.batchSize() * t.gradAccumulation();
          InductionCurriculum curriculum = new InductionCurriculum(c.data(), t.seed(),
              new InductionCurriculum.Mix(c.copy(), c.keyed(), c.lookup(), c.copyLength(), c.queries()), keyedBefore);
          return train(owner, recorder, t, dir -> CheckpointTokenizer.writeSynthetic(tokenizer, dir),
              manager -> LlamaModel.initialize(config, t.seed(), prior, manager),
              cfg -> new GeneratedBatches(curriculum, curriculum.describe(), tokenizer, cfg));
        });
  }

  @Override
  public ModelRef fineTune(FineTuneRequest r) {
    Owner owner = new Owner(r.experimentId(), r.variant(), FINETUNE, r.stageKey());
    return stage.run(r.experimentId(), r.variant(), FINETUNE, r.stageKey(), ModelRef.class, this::intact,
        TrainingActivitiesImpl::reused, recorder -> {
          List<TrainingExample> examples = new DatasetReader(store).taskExamples(r.data()).stream()
              .map(TrainingExample::of).toList();
          Path base = workDirectory.resolve(r.stageKey()).resolve("base");
          checkpoints.load(r.base().manifestUri(), r.base().manifestSha256(), base);
          // the base model's tokenizer, carried into every checkpoint of the fine-tuned model
          try (TextTokenizer tokenizer = CheckpointTokenizer.open(base)) {
            return train(owner, recorder, r.train(), dir -> CheckpointTokenizer.copy(base, dir),
                manager -> loadModel(base, tokenizer, manager),
                cfg -> new ShuffledBatches(examples, tokenizer, cfg));
          }
        });
  }

  @Override
  public EvaluationResult evaluate(EvaluationRequest r) {
    return stage.run(r.experimentId(), r.variant(), EVALUATE, r.stageKey(), EvaluationResult.class,
        result -> true, result -> result, recorder -> {
          recorder.begin(0, r.examples());
          Path dir = workDirectory.resolve(r.stageKey()).resolve("model");
          checkpoints.load(r.model().manifestUri(), r.model().manifestSha256(), dir);
          KvRetrievalGenerator heldOut = new KvRetrievalGenerator(heldOut(r.data(), r.examples()));
          List<KvExample> examples = new ArrayList<>();
          for (int i = 0; i < r.examples(); i++) {
            examples.add(heldOut.example(i));
          }
          try (ComputeSlot.Held slot = ComputeSlot.acquire(() -> Activity.getExecutionContext().heartbeat(null));
              TextTokenizer tokenizer = CheckpointTokenizer.open(dir);
              NDManager manager = NDManager.newBaseManager();
              LlamaModel model = loadModel(dir, tokenizer, manager)) {
            int answerTokens = tokenizer.encode(examples.get(0).answer()).length;
            KvEvaluator.Result result = new KvEvaluator(model, tokenizer, answerTokens + 8).evaluate(examples);
            log.info("{}/{} evaluation: {}", r.experimentId(), r.variant(), result.summary());
            metrics.log(runId(r.experimentId(), r.variant()), List.of(
                new Metric("eval/exact_accuracy", 0, result.exactAccuracy()),
                new Metric("eval/value_accuracy", 0, result.valueAccuracy()),
                new Metric("eval/dictionary_accuracy", 0, result.dictionaryAccuracy()),
                new Metric("eval/chance", 0, result.chanceLevel())));
            recorder.progress(r.examples());
            return new EvaluationResult(result.examples(), result.exactAccuracy(), result.valueAccuracy(),
                result.chanceLevel());
          }
        });
  }

  /**
   * Held-out examples: the variant's data shape from a seed the training data never uses, so no
   * evaluation prompt is a training prompt (beyond chance collisions of tiny shapes).
   */
  static KvRetrievalData heldOut(KvRetrievalData d, int examples) {
    return new KvRetrievalData(examples, d.dictionaries(), d.goldKeys(), d.minKeys(), d.maxKeys(),
        d.minDigits(), d.maxDigits(), d.answerTemplate(), ~d.seed() * 0x9E3779B97F4A7C15L + 1, d.examplesPerChunk());
  }

  /** Trains from the newest checkpoint of the stage (or from scratch), checkpointing as it goes. */
  private ModelRef train(Owner owner, StageRecorder recorder, TrainSpec spec, TokenizerRecord tokenizer,
      Function<NDManager, LlamaModel> initial, Function<TrainingConfig, io.rhlab.activities.training.BatchSource> data)
      throws IOException {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    TrainingConfig config = new TrainingConfig(spec.steps(), spec.batchSize(), spec.gradAccumulation(),
        spec.learningRate(), spec.warmupSteps(), spec.minLrRatio(), spec.weightDecay(), 0.9, 0.95, 1e-8,
        spec.clipNorm(), spec.seqLen(), spec.seed());
    Path stageDir = workDirectory.resolve(owner.stageKey());
    Path resumeDir = stageDir.resolve("resume");
    Path writeDir = stageDir.resolve("write");
    tokenizer.writeInto(writeDir); // uploaded with every checkpoint written from this directory
    try (ComputeSlot.Held slot = ComputeSlot.acquire(() -> ctx.heartbeat(null));
        NDManager manager = NDManager.newBaseManager()) {
      Optional<CheckpointStore.Loaded> resume = checkpoints.loadLatest(owner.stageKey(), resumeDir);
      LlamaModel model;
      Trainer trainer;
      CheckpointRow last = null;
      if (resume.isPresent()) {
        TrainingCheckpoint.Restored restored = TrainingCheckpoint.read(resumeDir, manager, data::apply);
        model = restored.model();
        trainer = restored.trainer();
        last = new CheckpointRow(owner.runId(), trainer.completedSteps(), owner.stageKey(),
            resume.get().manifestUri(), resume.get().manifestSha256());
        log.info("{} {}: resuming at step {} from {}", owner.runId(), owner.stage(), trainer.completedSteps(),
            resume.get().manifestUri());
      } else {
        model = initial.apply(manager);
        trainer = new Trainer(model, config, data.apply(config));
      }
      try (model; trainer) {
        if (!trainer.config().equals(config)) {
          throw ApplicationFailure.newNonRetryableFailure(
              "checkpoint of " + owner.stageKey() + " was written with another configuration", "CheckpointMismatch");
        }
        recorder.begin(trainer.completedSteps(), config.steps());
        String runId = owner.runId();
        String prefix = owner.stage().equals(BASE_MODEL) ? "pretrain/" : "train/";
        List<Metric> pending = new ArrayList<>();
        int every = Math.max(1, Math.min(spec.checkpointEvery(), config.steps()));
        while (!trainer.finished()) {
          StepMetrics m = trainer.step();
          long done = trainer.completedSteps();
          pending.add(new Metric(prefix + "loss", done, m.loss()));
          pending.add(new Metric(prefix + "lr", done, m.learningRate()));
          pending.add(new Metric(prefix + "grad_norm", done, m.gradNorm()));
          pending.add(new Metric("perf/" + prefix + "tokens_per_s", done, m.tokensPerSecond()));
          boolean checkpoint = done % every == 0 || trainer.finished();
          if (checkpoint || pending.size() >= 4 * METRIC_FLUSH_STEPS) {
            metrics.log(runId, pending);
            pending.clear();
          }
          if (checkpoint) {
            TrainingCheckpoint.write(writeDir, trainer);
            last = checkpoints.save(owner, done, writeDir);
          }
          recorder.progress(done);
          try {
            ctx.heartbeat(new TrainingProgress(done, config.steps(), last == null ? 0 : last.step(),
                last == null ? null : last.manifestUri()));
          } catch (ActivityWorkerShutdownException shutdown) {
            // SIGTERM: keep the steps done since the last checkpoint, then let the retry resume
            if (!pending.isEmpty()) {
              metrics.log(runId, pending);
            }
            if (last == null || last.step() != done) {
              TrainingCheckpoint.write(writeDir, trainer);
              last = checkpoints.save(owner, done, writeDir);
              log.info("{} {}: worker shutting down; checkpointed step {}", runId, owner.stage(), done);
            }
            throw shutdown;
          }
        }
        return new ModelRef(owner.stageKey(), last.manifestUri(), last.manifestSha256(), last.step(), false);
      }
    }
  }

  /** Writes the files that record a model's tokenizer into a checkpoint directory. */
  @FunctionalInterface
  private interface TokenizerRecord {
    void writeInto(Path directory) throws IOException;
  }

  /**
   * Copies a Hugging Face checkpoint directory from the store and registers it as step 0. Its
   * tokenizer is its tokenizer.json (or, for a re-imported rhlab export, its synthetic_tokenizer.json);
   * a checkpoint recording neither is rejected, since no tokenizer would match its embeddings.
   */
  private ModelRef importModel(Owner owner, String uri, StageRecorder recorder) throws IOException {
    recorder.begin(0, 1);
    String prefix = store.key(uri);
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    Path dir = workDirectory.resolve(owner.stageKey()).resolve("import");
    Files.createDirectories(dir);
    List<String> keys = store.list(prefix);
    if (keys.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("nothing stored under " + uri, "ImportNotFound");
    }
    for (String key : keys) {
      String name = key.substring(prefix.length());
      if (name.contains("/") || !(name.endsWith(".json") || name.endsWith(".safetensors"))) {
        continue; // only the checkpoint's own top-level files
      }
      try (var in = store.get(key)) {
        Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (TextTokenizer tokenizer = CheckpointTokenizer.recorded(dir).orElseThrow(() -> new IllegalArgumentException(
            "no " + HfTokenizer.TOKENIZER_FILE + " (nor " + CheckpointTokenizer.SYNTHETIC_FILE + ") next to the weights"));
        NDManager manager = NDManager.newBaseManager();
        LlamaModel model = loadModel(dir, tokenizer, manager)) {
      log.info("imported {} ({} parameters, {} tokenizer with {} ids) from {}", owner.stageKey(),
          model.parameterCount(), tokenizer.getClass().getSimpleName(), tokenizer.vocabSize(), uri);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(uri + " is not a loadable Llama checkpoint: " + e.getMessage(),
          "ImportInvalid");
    }
    CheckpointRow row = checkpoints.save(owner, 0, dir);
    recorder.progress(1);
    return new ModelRef(owner.stageKey(), row.manifestUri(), row.manifestSha256(), 0, false);
  }

  /** Loads a checkpoint whose embedding has a row for every id of the tokenizer. */
  private static LlamaModel loadModel(Path dir, TextTokenizer tokenizer, NDManager manager) {
    try {
      LlamaModel model = LlamaCheckpoint.load(dir, manager);
      try {
        CheckpointTokenizer.requireFits(tokenizer, model.config());
      } catch (IllegalArgumentException e) {
        model.close();
        throw e;
      }
      return model;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("load model from " + dir, e);
    }
  }

  /** A completed model stage is reusable while its checkpoint manifest still verifies. */
  private boolean intact(ModelRef ref) {
    String key = store.key(ref.manifestUri());
    return store.size(key).isPresent() && store.sha256(key).equals(ref.manifestSha256());
  }

  private static ModelRef reused(ModelRef r) {
    return new ModelRef(r.stageKey(), r.manifestUri(), r.manifestSha256(), r.step(), true);
  }

  static String runId(String experimentId, String variant) {
    return experimentId + "/" + (variant.isEmpty() ? "base" : variant);
  }
}
