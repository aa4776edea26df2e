package io.rhlab.activities.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.AttentionHead;
import io.rhlab.activities.model.HeadOutputCache;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.KvCache;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.activities.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Activation patching from a reference model (e.g. the real-data variant) into a target model (a
 * synthetic-data variant): the target generates greedily while chosen heads' outputs (before
 * o_proj) are replaced by the reference's outputs for the same tokens at the same positions.
 *
 * <p>What "the same tokens" means during greedy decoding: the two models run in lockstep on one
 * token sequence, the prompt followed by the <em>target's</em> generated tokens. At each forward the
 * reference model is run first on exactly the tokens the target is about to process (with its own
 * key/value cache), recording its head outputs, and the target's forward then reads those rows.
 * Patched values therefore always come from the reference reading the same context, even after
 * the two models would have generated different text. As in {@link
 * io.rhlab.activities.model.GreedyDecoder}, the prompt's last token is the first decode step.
 * {@link Positions} chooses whether decode positions are patched too or only prompt positions.
 *
 * <p>Recovery of the metric (accuracy) is (patched - target) / (reference - target): 1 when
 * patching restores the reference's accuracy, 0 when it changes nothing. When reference and target
 * score the same the ratio has no meaning and is reported as NaN with a note.
 */
public final class ActivationPatching {

  /** Which positions' head outputs are patched. */
  public enum Positions {
    /** Every position: prompt tokens and generated tokens. */
    ALL,
    /**
     * Prompt positions only (the last prompt token included, so the first generated token is chosen
     * by a patched forward); generated tokens run the target's own heads.
     */
    PROMPT
  }

  /**
   * The outcome for one head set.
   *
   * @param name the head set's name
   * @param heads the patched heads
   * @param reference accuracy of the reference model, unpatched
   * @param target accuracy of the target model, unpatched
   * @param patched accuracy of the target with the heads patched
   * @param recovery (patched - target) / (reference - target), NaN when reference equals target
   * @param note why recovery is NaN, or null
   */
  public record Outcome(
      String name,
      Set<AttentionHead> heads,
      Accuracy reference,
      Accuracy target,
      Accuracy patched,
      double recovery,
      String note) {}

  private final LlamaModel reference;
  private final LlamaModel target;
  private final TextTokenizer tokenizer;
  private final int maxNewTokens;
  private final Positions positions;
  private final Set<Integer> stopTokens;

  /**
   * A patching experiment.
   *
   * @param reference the model whose head outputs are copied
   * @param target the model that generates
   * @param tokenizer the tokenizer both models share
   * @param maxNewTokens most generated tokens, 1..{@link PromptRunner#MAX_NEW_TOKENS_LIMIT}
   * @param positions which positions are patched
   * @throws IllegalArgumentException if the models differ in layers, heads, head size or vocabulary
   */
  public ActivationPatching(
      LlamaModel reference,
      LlamaModel target,
      TextTokenizer tokenizer,
      int maxNewTokens,
      Positions positions) {
    ModelConfig r = reference.config();
    ModelConfig t = target.config();
    if (r.layers() != t.layers() || r.heads() != t.heads() || r.headDim() != t.headDim()
        || r.vocabSize() != t.vocabSize()) {
      throw new IllegalArgumentException(
          "reference and target must agree in layers, heads, head size and vocabulary, got "
              + r + " and " + t);
    }
    if (!reference.device().equals(target.device())) {
      throw new IllegalArgumentException(
          "reference and target must be on one device, got " + reference.device() + " and "
              + target.device());
    }
    if (maxNewTokens < 1 || maxNewTokens > PromptRunner.MAX_NEW_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "maxNewTokens must be in [1, " + PromptRunner.MAX_NEW_TOKENS_LIMIT + "], got "
              + maxNewTokens);
    }
    this.reference = reference;
    this.target = target;
    this.tokenizer = tokenizer;
    this.maxNewTokens = maxNewTokens;
    this.positions = positions;
    this.stopTokens = PromptRunner.stopTokens(tokenizer);
  }

  /**
   * The standard head sets of the seed paper: the heads both models have, the reference's heads the
   * target lacks, and {@code draws} seeded random sets of {@code randomSize} heads that neither
   * model has as a retrieval head (drawn one after another from java.util.Random(seed)).
   *
   * @param referenceHeads the reference's retrieval heads
   * @param targetHeads the target's retrieval heads
   * @param config the models' shape
   * @param randomSize size of each random set, 0..heads in neither set (e.g. the intersection's)
   * @param draws random sets, 0..1000
   * @param seed seed of the random sets
   * @return "intersection", "reference-only", then "random-0", "random-1", ..., in that order
   */
  public static Map<String, Set<AttentionHead>> standardHeadSets(
      Set<AttentionHead> referenceHeads,
      Set<AttentionHead> targetHeads,
      ModelConfig config,
      int randomSize,
      int draws,
      long seed) {
    Set<AttentionHead> intersection = new LinkedHashSet<>(referenceHeads);
    intersection.retainAll(targetHeads);
    Set<AttentionHead> referenceOnly = new LinkedHashSet<>(referenceHeads);
    referenceOnly.removeAll(targetHeads);
    Set<AttentionHead> neither =
        new LinkedHashSet<>(RandomHeads.all(config.layers(), config.heads()));
    neither.removeAll(referenceHeads);
    neither.removeAll(targetHeads);
    if (randomSize < 0 || randomSize > neither.size()) {
      throw new IllegalArgumentException(
          "randomSize must be in [0, " + neither.size()
              + "] (heads that are retrieval heads of neither model), got " + randomSize);
    }
    if (draws < 0 || draws > 1000) {
      throw new IllegalArgumentException("draws must be in [0, 1000], got " + draws);
    }
    Map<String, Set<AttentionHead>> sets = new LinkedHashMap<>();
    sets.put("intersection", intersection);
    sets.put("reference-only", referenceOnly);
    Random random = new Random(seed);
    for (int d = 0; d < draws; d++) {
      sets.put("random-" + d, new LinkedHashSet<>(RandomHeads.draw(neither, randomSize, random)));
    }
    return sets;
  }

  /**
   * Recovery of a metric.
   *
   * @return (patched - target) / (reference - target), or NaN when |reference - target| < 1e-12
   */
  public static double recovery(double patched, double target, double reference) {
    double gap = reference - target;
    return Math.abs(gap) < 1e-12 ? Double.NaN : (patched - target) / gap;
  }

  /**
   * Patches each head set on every prompt.
   *
   * @param headSets named head sets (e.g. {@link #standardHeadSets})
   * @param prompts evaluation prompts
   * @return one outcome per head set, in order
   */
  public List<Outcome> run(Map<String, Set<AttentionHead>> headSets, List<TaskPrompt> prompts) {
    Accuracy referenceAccuracy = new PromptRunner(reference, tokenizer, maxNewTokens)
        .accuracy(prompts, null);
    Accuracy targetAccuracy = new PromptRunner(target, tokenizer, maxNewTokens)
        .accuracy(prompts, null);
    List<Outcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, Set<AttentionHead>> set : headSets.entrySet()) {
      Accuracy patched = new Accuracy(0, 0);
      for (TaskPrompt prompt : prompts) {
        String text = generate(prompt.tokens(), set.getValue()).text();
        patched = patched.plus(StringMatch.containsAny(text, prompt.answers()));
      }
      double recovery =
          recovery(patched.value(), targetAccuracy.value(), referenceAccuracy.value());
      String note =
          Double.isNaN(recovery)
              ? "reference and target have the same accuracy: recovery is undefined"
              : null;
      outcomes.add(
          new Outcome(set.getKey(), Set.copyOf(set.getValue()), referenceAccuracy, targetAccuracy,
              patched, recovery, note));
    }
    return outcomes;
  }

  /**
   * The target's greedy generation with {@code heads} patched from the reference.
   *
   * @param prompt token ids, at least one
   * @param heads heads to patch (may be empty: the target's own generation)
   * @return the generation (no argmax recorded)
   */
  public Generation generate(int[] prompt, Set<AttentionHead> heads) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("prompt must hold at least one token");
    }
    int maxLen = Math.min(reference.config().maxLen(), target.config().maxLen());
    if (prompt.length + maxNewTokens - 1 > maxLen) {
      throw new IllegalArgumentException(
          "prompt (" + prompt.length + " tokens) plus maxNewTokens (" + maxNewTokens
              + ") - 1 must be <= maxLen=" + maxLen);
    }
    int capacity = prompt.length + maxNewTokens;
    int[] generated = new int[maxNewTokens];
    int count = 0;
    try (NDManager manager = NDManager.newBaseManager(target.device());
        KvCache referenceCache = reference.newKvCache(capacity);
        KvCache targetCache = target.newKvCache(capacity);
        HeadOutputCache recorded = reference.newHeadOutputCache()) {
      Instrumentation capture = Instrumentation.builder().captureInto(recorded).build();
      Instrumentation patch =
          heads.isEmpty()
              ? Instrumentation.NONE
              : Instrumentation.builder().patch(recorded, heads).build();
      Instrumentation decodePatch = positions == Positions.ALL ? patch : Instrumentation.NONE;
      if (prompt.length > 1) {
        int[] prefill = Arrays.copyOf(prompt, prompt.length - 1);
        step(manager, prefill, capture, referenceCache, patch, targetCache);
      }
      int next =
          step(manager, new int[] {prompt[prompt.length - 1]}, capture, referenceCache, patch,
              targetCache);
      while (true) {
        generated[count++] = next;
        if (stopTokens.contains(next) || count == maxNewTokens) {
          break;
        }
        next = step(manager, new int[] {next}, capture, referenceCache, decodePatch, targetCache);
      }
    }
    int[] tokens = Arrays.copyOf(generated, count);
    return new Generation(tokens, tokenizer.decode(tokens).strip(), List.of());
  }

  /** Runs the reference (recording) then the target (patched) on the same tokens. */
  private int step(
      NDManager manager,
      int[] tokens,
      Instrumentation capture,
      KvCache referenceCache,
      Instrumentation patch,
      KvCache targetCache) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {tokens}); // (1, T)
      reference.forward(ids, capture, referenceCache, true);
      NDArray logits = target.forward(ids, patch, targetCache, true).logits(); // (1, 1, V)
      return (int) logits.argMax(2).toLongArray()[0];
    }
  }
}
