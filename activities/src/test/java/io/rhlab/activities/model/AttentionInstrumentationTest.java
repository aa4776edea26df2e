package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retrieval argmax, head masks and activation patching against plain-Java computations. */
class AttentionInstrumentationTest {

  private static final int[] TOKENS = {3, 17, 5, 5, 39, 0, 22, 8, 11, 30, 2, 14};
  private static final int[] OTHER = {7, 1, 33, 12, 12, 4, 9, 25, 36, 6, 19, 28};

  private static NDManager manager;
  private static ModelConfig config;
  private static Map<String, float[]> weights;
  private static ReferenceLlama.Trace trace;
  private static LlamaModel model;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    config = TestModels.groupedQuery();
    weights = ReferenceLlama.randomWeights(config, 21, 0.5);
    trace = new ReferenceLlama(config, weights).forward(TOKENS);
    model = TestModels.model(config, weights, manager);
  }

  @AfterAll
  static void stop() {
    model.close();
    manager.close();
  }

  @Test
  void argmax_decodeStep_equalsArgmaxOfExplicitSoftmax() {
    int prompt = TOKENS.length - 1;
    int[][] actual;
    int[][] fromFullForward;
    try (NDManager scope = manager.newSubManager();
        KvCache cache = model.newKvCache()) {
      Instrumentation argmax = Instrumentation.builder().recordArgmax().build();
      model.forward(ids(scope, java.util.Arrays.copyOf(TOKENS, prompt)), argmax, cache);
      actual = model.forward(ids(scope, new int[] {TOKENS[prompt]}), argmax, cache).argmax(0);
      fromFullForward = model.forward(ids(scope, TOKENS), argmax, null).argmax(0);
    }
    int compared = 0;
    for (int l = 0; l < config.layers(); l++) {
      for (int h = 0; h < config.heads(); h++) {
        double[] probabilities = softmaxRow(l, h, prompt);
        int best = 0;
        int second = -1;
        for (int s = 1; s < probabilities.length; s++) {
          if (probabilities[s] > probabilities[best]) {
            second = best;
            best = s;
          } else if (second < 0 || probabilities[s] > probabilities[second]) {
            second = s;
          }
        }
        if (probabilities[best] - probabilities[second] < 1e-5) {
          continue; // a near tie: float32 may pick either
        }
        assertEquals(best, actual[l][h], "layer " + l + " head " + h);
        assertEquals(best, fromFullForward[l][h], "full forward, layer " + l + " head " + h);
        compared++;
      }
    }
    assertTrue(compared >= config.layers() * config.heads() - 1, "compared only " + compared);
  }

  /** softmax_s(q_t . k_s / sqrt(D)) for s <= t, from the reference's q and k. */
  private static double[] softmaxRow(int layer, int head, int t) {
    double[] query = trace.queries[layer][head][t];
    double[] row = new double[t + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s <= t; s++) {
      double[] key = trace.keys[layer][head / config.groupSize()][s];
      row[s] = ReferenceLlama.dot(query, key) / Math.sqrt(config.headDim());
      max = Math.max(max, row[s]);
    }
    double total = 0;
    for (int s = 0; s <= t; s++) {
      row[s] = Math.exp(row[s] - max);
      total += row[s];
    }
    for (int s = 0; s <= t; s++) {
      row[s] /= total;
    }
    return row;
  }

  @Test
  void queryZero_everywhere_headOutputsMeanOfVisibleValues() {
    int layer = 1;
    int head = 2;
    try (NDManager scope = manager.newSubManager();
        HeadOutputCache captured = model.newHeadOutputCache()) {
      Instrumentation masked =
          Instrumentation.builder()
              .mask(HeadMask.of(layer, head, HeadMaskOperator.QUERY_ZERO, MaskScope.EVERYWHERE))
              .captureInto(captured)
              .build();
      model.forward(ids(scope, TOKENS), masked, null);
      float[] outputs = captured.get(layer).toFloatArray();
      for (int t = 0; t < TOKENS.length; t++) {
        assertHeadEquals(meanOfValues(layer, head, 0, t), outputs, t, head, "masked t=" + t);
        assertHeadEquals(trace.headOutputs[layer][t][0], outputs, t, 0, "unmasked head 0");
      }
    }
  }

  @Test
  void queryZero_decodeOnly_masksDecodeStepsButNotThePrompt() {
    int layer = 1;
    int head = 3;
    int prompt = TOKENS.length - 2;
    try (NDManager scope = manager.newSubManager();
        KvCache cache = model.newKvCache();
        HeadOutputCache captured = model.newHeadOutputCache()) {
      Instrumentation masked =
          Instrumentation.builder()
              .mask(HeadMask.of(layer, head, HeadMaskOperator.QUERY_ZERO, MaskScope.DECODE_ONLY))
              .captureInto(captured)
              .build();
      model.forward(ids(scope, java.util.Arrays.copyOf(TOKENS, prompt)), masked, cache);
      model.forward(ids(scope, new int[] {TOKENS[prompt]}), masked, cache);
      model.forward(ids(scope, new int[] {TOKENS[prompt + 1]}), masked, cache);
      float[] outputs = captured.get(layer).toFloatArray();
      assertEquals(TOKENS.length, captured.positions(layer));
      for (int t = 0; t < prompt; t++) {
        assertHeadEquals(trace.headOutputs[layer][t][head], outputs, t, head, "prompt t=" + t);
      }
      // position prompt: layer 1 values are unchanged (layer 0 is unmasked)
      assertHeadEquals(meanOfValues(layer, head, 0, prompt), outputs, prompt, head, "first step");
    }
  }

  @Test
  void zeroOutput_zeroesOnlyThatHead() {
    try (NDManager scope = manager.newSubManager();
        HeadOutputCache captured = model.newHeadOutputCache()) {
      Instrumentation masked =
          Instrumentation.builder()
              .mask(HeadMask.of(0, 1, HeadMaskOperator.ZERO_OUTPUT, MaskScope.EVERYWHERE))
              .captureInto(captured)
              .build();
      model.forward(ids(scope, TOKENS), masked, null);
      float[] outputs = captured.get(0).toFloatArray();
      for (int t = 0; t < TOKENS.length; t++) {
        assertHeadEquals(new double[config.headDim()], outputs, t, 1, "zeroed");
        assertHeadEquals(trace.headOutputs[0][t][2], outputs, t, 2, "other head");
      }
    }
  }

  @Test
  void meanOutput_isCausalRunningMeanAndAgreesWithIncrementalDecode() {
    Instrumentation.Builder builder =
        Instrumentation.builder()
            .mask(HeadMask.of(0, 1, HeadMaskOperator.MEAN_OUTPUT, MaskScope.EVERYWHERE));
    try (NDManager scope = manager.newSubManager();
        HeadOutputCache captured = model.newHeadOutputCache();
        KvCache cache = model.newKvCache()) {
      Instrumentation full =
          Instrumentation.builder()
              .mask(HeadMask.of(0, 1, HeadMaskOperator.MEAN_OUTPUT, MaskScope.EVERYWHERE))
              .captureInto(captured)
              .build();
      float[][] fullLogits = TestModels.logits(model.forward(ids(scope, TOKENS), full, null))[0];
      float[] outputs = captured.get(0).toFloatArray();
      for (int t = 0; t < TOKENS.length; t++) {
        double[] mean = new double[config.headDim()];
        for (int s = 0; s <= t; s++) {
          for (int i = 0; i < mean.length; i++) {
            mean[i] += trace.headOutputs[0][s][1][i] / (t + 1);
          }
        }
        assertHeadEquals(mean, outputs, t, 1, "running mean t=" + t);
      }
      Instrumentation incremental = builder.build();
      List<float[]> stepLogits = new ArrayList<>();
      model.forward(ids(scope, java.util.Arrays.copyOf(TOKENS, 5)), incremental, cache);
      for (int t = 5; t < TOKENS.length; t++) {
        stepLogits.add(
            TestModels.logits(model.forward(ids(scope, new int[] {TOKENS[t]}), incremental, cache))[
                0][0]);
      }
      for (int t = 5; t < TOKENS.length; t++) {
        assertTrue(
            TestModels.maxAbsDiff(
                    new float[][] {fullLogits[t]}, new float[][] {stepLogits.get(t - 5)})
                < 1e-5,
            "position " + t);
      }
    }
  }

  @Test
  void meanOutput_decodeWithoutInstrumentedPrefill_isRejected() {
    try (NDManager scope = manager.newSubManager();
        KvCache cache = model.newKvCache()) {
      model.forward(ids(scope, TOKENS), Instrumentation.NONE, cache);
      Instrumentation mean =
          Instrumentation.builder()
              .mask(HeadMask.of(1, 0, HeadMaskOperator.MEAN_OUTPUT, MaskScope.DECODE_ONLY))
              .build();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> model.forward(ids(scope, new int[] {1}), mean, cache));
      assertEquals(
          "MEAN_OUTPUT on layer 1 needs the running output sum of the prompt: prefill with the"
              + " same instrumentation",
          e.getMessage());
    }
  }

  @Test
  void patch_allHeadsFromCleanRun_restoresCleanLogits() {
    List<AttentionHead> all = allHeads();
    try (NDManager scope = manager.newSubManager();
        HeadOutputCache clean = model.newHeadOutputCache()) {
      float[][] cleanLogits =
          TestModels.logits(
              model.forward(
                  ids(scope, TOKENS), Instrumentation.builder().captureInto(clean).build(), null))[
              0];
      Instrumentation corrupted =
          Instrumentation.builder()
              .mask(all.subList(0, 5), HeadMaskOperator.ZERO_OUTPUT, MaskScope.EVERYWHERE)
              .build();
      float[][] corruptedLogits =
          TestModels.logits(model.forward(ids(scope, TOKENS), corrupted, null))[0];
      assertTrue(TestModels.maxAbsDiff(cleanLogits, corruptedLogits) > 1e-2, "masks had no effect");
      Instrumentation restored =
          Instrumentation.builder()
              .mask(all.subList(0, 5), HeadMaskOperator.ZERO_OUTPUT, MaskScope.EVERYWHERE)
              .patch(clean, all)
              .build();
      float[][] restoredLogits =
          TestModels.logits(model.forward(ids(scope, TOKENS), restored, null))[0];
      assertTrue(TestModels.maxAbsDiff(cleanLogits, restoredLogits) < 1e-5);
      // the same patch applied step by step through the cache reads the matching positions
      try (KvCache cache = model.newKvCache()) {
        model.forward(ids(scope, java.util.Arrays.copyOf(TOKENS, 4)), restored, cache);
        for (int t = 4; t < TOKENS.length; t++) {
          float[] step =
              TestModels.logits(model.forward(ids(scope, new int[] {TOKENS[t]}), restored, cache))[
                  0][0];
          assertTrue(
              TestModels.maxAbsDiff(new float[][] {cleanLogits[t]}, new float[][] {step}) < 1e-5,
              "position " + t);
        }
      }
    }
  }

  @Test
  void patch_oneHead_changesThatHeadAndLaterLayersOnly() {
    try (NDManager scope = manager.newSubManager();
        HeadOutputCache source = model.newHeadOutputCache();
        HeadOutputCache plain = model.newHeadOutputCache();
        HeadOutputCache patched = model.newHeadOutputCache()) {
      model.forward(
          ids(scope, TOKENS), Instrumentation.builder().captureInto(source).build(), null);
      float[][] plainLogits =
          TestModels.logits(
              model.forward(
                  ids(scope, OTHER), Instrumentation.builder().captureInto(plain).build(), null))[
              0];
      Instrumentation patch =
          Instrumentation.builder()
              .patch(source, List.of(new AttentionHead(0, 1)))
              .captureInto(patched)
              .build();
      float[][] patchedLogits = TestModels.logits(model.forward(ids(scope, OTHER), patch, null))[0];

      float[] sourceLayer0 = source.get(0).toFloatArray();
      float[] plainLayer0 = plain.get(0).toFloatArray();
      float[] patchedLayer0 = patched.get(0).toFloatArray();
      int headDim = config.headDim();
      for (int i = 0; i < patchedLayer0.length; i++) {
        int headIndex = (i / headDim) % config.heads();
        float expected = headIndex == 1 ? sourceLayer0[i] : plainLayer0[i];
        assertEquals(expected, patchedLayer0[i], 0f, "layer 0 element " + i);
      }
      assertTrue(
          maxAbsDiff(plain.get(1).toFloatArray(), patched.get(1).toFloatArray()) > 1e-4,
          "layer 1 did not see the patch");
      assertTrue(TestModels.maxAbsDiff(plainLogits, patchedLogits) > 1e-4, "logits unchanged");
      // position 0 attends only to itself: unchanged through the patch except via head (0, 1)
      assertArrayEquals(
          java.util.Arrays.copyOfRange(plainLayer0, 0, headDim),
          java.util.Arrays.copyOfRange(patchedLayer0, 0, headDim));
    }
  }

  @Test
  void instrumentation_withHeadOutsideModel_isRejected() {
    Instrumentation bad =
        Instrumentation.builder()
            .mask(
                HeadMask.of(0, config.heads(), HeadMaskOperator.ZERO_OUTPUT, MaskScope.EVERYWHERE))
            .build();
    try (NDManager scope = manager.newSubManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> model.forward(ids(scope, TOKENS), bad, null));
      assertEquals("head must be in [0, 4), got 4", e.getMessage());
    }
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Instrumentation.builder()
                    .mask(HeadMask.of(0, 0, HeadMaskOperator.ZERO_OUTPUT, MaskScope.EVERYWHERE))
                    .mask(HeadMask.of(0, 0, HeadMaskOperator.QUERY_ZERO, MaskScope.EVERYWHERE)));
    assertEquals("head L0H0 is masked twice", twice.getMessage());
  }

  private static List<AttentionHead> allHeads() {
    List<AttentionHead> heads = new ArrayList<>();
    for (int l = 0; l < config.layers(); l++) {
      for (int h = 0; h < config.heads(); h++) {
        heads.add(new AttentionHead(l, h));
      }
    }
    return heads;
  }

  /** Mean of the reference value vectors of the head's kv group over positions [from, to]. */
  private static double[] meanOfValues(int layer, int head, int from, int to) {
    double[] mean = new double[config.headDim()];
    for (int s = from; s <= to; s++) {
      double[] value = trace.values[layer][head / config.groupSize()][s];
      for (int i = 0; i < mean.length; i++) {
        mean[i] += value[i] / (to - from + 1);
      }
    }
    return mean;
  }

  /** Compares a head's vector at position t (batch row 0) of a flat (1, T, H, D) capture. */
  private static void assertHeadEquals(
      double[] expected, float[] captured, int t, int head, String what) {
    int offset = (t * config.heads() + head) * config.headDim();
    for (int i = 0; i < expected.length; i++) {
      TestModels.assertClose(expected[i], captured[offset + i], 1e-4, what + " channel " + i);
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static NDArray ids(NDManager scope, int[] tokens) {
    return LlamaModel.tokenArray(scope, new int[][] {tokens});
  }
}
