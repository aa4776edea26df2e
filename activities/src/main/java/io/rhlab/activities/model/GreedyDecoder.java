package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Greedy generation with a key/value cache: prefill the prompt, then feed one token at a time,
 * always taking the most likely next token, until a stop token or the token limit.
 *
 * <p>As in the retrieval-head reference, the prefill covers all prompt tokens but the last, and the
 * last prompt token is fed as the first decode step: the forward that chooses the first generated
 * token is then a decode step, so masks with {@link MaskScope#DECODE_ONLY} act on it (with a
 * one-token prompt there is no prefill and that first forward is not masked). The instrumentation
 * is applied to the prefill and to every decode step; decode-only masks therefore leave the keys
 * and values of all prompt tokens but the last unmasked. With {@link Instrumentation#recordArgmax()} each generated token comes with
 * the per-head argmax key positions of the forward that chose it, from which a caller computes
 * retrieval scores.
 */
public final class GreedyDecoder {

  private final LlamaModel model;
  private final int prefillChunk;

  /**
   * A decoder that prefills the whole prompt in one forward.
   *
   * @param model the model to run
   */
  public GreedyDecoder(LlamaModel model) {
    this(model, 0);
  }

  /**
   * A decoder that prefills long prompts in chunks, bounding the (chunk x prompt) attention logits
   * held at once; the result is the same as one prefill up to float rounding.
   *
   * @param model the model to run
   * @param prefillChunk positions per prefill forward, or 0 for the whole prompt at once
   */
  public GreedyDecoder(LlamaModel model, int prefillChunk) {
    if (prefillChunk < 0) {
      throw new IllegalArgumentException("prefillChunk must be >= 0, got " + prefillChunk);
    }
    this.model = model;
    this.prefillChunk = prefillChunk;
  }

  /**
   * Generates greedily from one prompt.
   *
   * @param prompt token ids, at least one
   * @param maxNewTokens most tokens to generate, at least 1
   * @param stopTokens ids that end generation (the stop token is included in the result)
   * @param instrumentation masks, patches, captures and argmax recording; null for none
   * @return the generated tokens and, if recorded, the argmax tables per generated token
   * @throws IllegalArgumentException if the prompt is empty, maxNewTokens < 1, or prompt plus
   *     generated tokens would exceed the model's maxLen
   */
  public DecodeResult decode(
      int[] prompt, int maxNewTokens, Set<Integer> stopTokens, Instrumentation instrumentation) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("prompt must hold at least one token");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    int maxLen = model.config().maxLen();
    if (prompt.length + maxNewTokens - 1 > maxLen) {
      throw new IllegalArgumentException(
          "prompt ("
              + prompt.length
              + " tokens) plus maxNewTokens ("
              + maxNewTokens
              + ") - 1 must be <= maxLen="
              + maxLen);
    }
    GradMode.offOnThisThread(); // no autograd graph, whichever thread decodes
    Instrumentation plan = instrumentation == null ? Instrumentation.NONE : instrumentation;
    int[] generated = new int[maxNewTokens];
    List<int[][]> argmaxPerStep = new ArrayList<>();
    int count = 0;
    boolean stopped = false;
    try (KvCache cache = model.newKvCache(prompt.length + maxNewTokens)) {
      int prefill = prompt.length - 1;
      int chunk = prefillChunk == 0 ? Math.max(1, prefill) : prefillChunk;
      for (int start = 0; start < prefill; start += chunk) {
        int[] piece = Arrays.copyOfRange(prompt, start, Math.min(prefill, start + chunk));
        step(piece, plan, cache, null);
      }
      int next = step(new int[] {prompt[prefill]}, plan, cache, argmaxPerStep);
      while (true) {
        generated[count++] = next;
        if (stopTokens.contains(next)) {
          stopped = true;
          break;
        }
        if (count == maxNewTokens) {
          break;
        }
        next = step(new int[] {next}, plan, cache, argmaxPerStep);
      }
    }
    return new DecodeResult(Arrays.copyOf(generated, count), stopped, argmaxPerStep);
  }

  /** Runs one forward and returns the most likely next token. */
  private int step(int[] tokens, Instrumentation plan, KvCache cache, List<int[][]> argmaxSink) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray ids = NativeArrays.tokenRow(scope, tokens); // (1, T)
      ForwardResult result = model.forward(ids, plan, cache, true);
      if (argmaxSink != null && result.retrievalArgmax() != null) {
        argmaxSink.add(result.argmax(0));
      }
      return (int) result.logits().argMax(2).toLongArray()[0]; // logits (1, 1, V)
    }
  }
}
