package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key/value cache and greedy decoding against full forwards without a cache. */
class GreedyDecoderTest {

  private static final int[] TOKENS = {3, 17, 5, 5, 39, 0, 22, 8, 11, 30, 2, 14, 6, 6};
  private static final int[] PROMPT = {4, 9, 13, 27, 1, 35};

  private static NDManager manager;
  private static LlamaModel model;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    ModelConfig config = TestModels.groupedQuery();
    Map<String, float[]> weights = ReferenceLlama.randomWeights(config, 8, 0.4);
    model = TestModels.model(config, weights, manager);
  }

  @AfterAll
  static void stop() {
    model.close();
    manager.close();
  }

  @Test
  void kvCache_incrementalLogits_equalFullForwardAtEveryPosition() {
    try (NDManager scope = manager.newSubManager();
        KvCache cache = model.newKvCache()) {
      float[][] full = TestModels.logits(model.forward(tokens(scope, TOKENS)))[0];
      int prefill = 3;
      float[][] first =
          TestModels.logits(
              model.forward(tokens(scope, Arrays.copyOf(TOKENS, prefill)), null, cache))[0];
      for (int t = 0; t < prefill; t++) {
        assertClose(full[t], first[t], "prefill position " + t);
      }
      // a chunk of 4 after the prefill, then single steps
      float[][] chunk =
          TestModels.logits(
              model.forward(
                  tokens(scope, Arrays.copyOfRange(TOKENS, prefill, prefill + 4)), null, cache))[0];
      for (int t = 0; t < 4; t++) {
        assertClose(full[prefill + t], chunk[t], "chunk position " + (prefill + t));
      }
      for (int t = prefill + 4; t < TOKENS.length; t++) {
        float[] step =
            TestModels.logits(model.forward(tokens(scope, new int[] {TOKENS[t]}), null, cache))[0][
                0];
        assertClose(full[t], step, "decode position " + t);
      }
      assertEquals(TOKENS.length, cache.length());
    }
  }

  @Test
  void decode_equalsArgmaxContinuationOfFullForwards() {
    int steps = 6;
    int[] expected = new int[steps];
    int[][][] expectedArgmax = new int[steps][][];
    int[] sequence = PROMPT;
    try (NDManager scope = manager.newSubManager()) {
      Instrumentation argmax = Instrumentation.builder().recordArgmax().build();
      for (int i = 0; i < steps; i++) {
        ForwardResult result = model.forward(tokens(scope, sequence), argmax, null);
        float[][] logits = TestModels.logits(result)[0];
        expected[i] = argmaxOf(logits[sequence.length - 1]);
        expectedArgmax[i] = result.argmax(0);
        sequence = Arrays.copyOf(sequence, sequence.length + 1);
        sequence[sequence.length - 1] = expected[i];
      }
    }
    DecodeResult result =
        new GreedyDecoder(model)
            .decode(PROMPT, steps, Set.of(), Instrumentation.builder().recordArgmax().build());
    assertArrayEquals(expected, result.tokens());
    assertFalse(result.stopped());
    assertEquals(steps, result.argmaxPerStep().size());
    for (int i = 0; i < steps; i++) {
      assertArrayEquals(expectedArgmax[i], result.argmaxPerStep().get(i), "step " + i);
    }
    DecodeResult chunked = new GreedyDecoder(model, 4).decode(PROMPT, steps, Set.of(), null);
    assertArrayEquals(expected, chunked.tokens());
    assertTrue(chunked.argmaxPerStep().isEmpty());
  }

  @Test
  void decode_stopsOnStopTokenAndIncludesIt() {
    DecodeResult free = new GreedyDecoder(model).decode(PROMPT, 6, Set.of(), null);
    int stop = free.tokens()[2];
    int firstIndex = 0;
    while (free.tokens()[firstIndex] != stop) {
      firstIndex++;
    }
    DecodeResult stopped = new GreedyDecoder(model).decode(PROMPT, 6, Set.of(stop), null);
    assertTrue(stopped.stopped());
    assertArrayEquals(Arrays.copyOf(free.tokens(), firstIndex + 1), stopped.tokens());
  }

  @Test
  void decodeOnlyMask_actsOnTheForwardThatChoosesTheFirstToken() {
    // The reference prefills all prompt tokens but the last, then feeds the last as a masked
    // decode step; its logits choose the first generated token.
    Instrumentation knockout =
        Instrumentation.builder()
            .mask(
                java.util.List.of(new AttentionHead(1, 0), new AttentionHead(1, 1)),
                HeadMaskOperator.ZERO_OUTPUT,
                MaskScope.DECODE_ONLY)
            .build();
    int maskedFirst;
    int unmaskedFirst;
    try (NDManager scope = manager.newSubManager();
        KvCache cache = model.newKvCache()) {
      int[] head = Arrays.copyOf(PROMPT, PROMPT.length - 1);
      model.forward(tokens(scope, head), knockout, cache);
      int[] last = {PROMPT[PROMPT.length - 1]};
      maskedFirst =
          argmaxOf(TestModels.logits(model.forward(tokens(scope, last), knockout, cache))[0][0]);
      float[][] full = TestModels.logits(model.forward(tokens(scope, PROMPT)))[0];
      unmaskedFirst = argmaxOf(full[PROMPT.length - 1]);
    }
    // Guards the test's power: with these weights the knockout changes the first token.
    assertTrue(maskedFirst != unmaskedFirst, "the knockout should change the first token");
    DecodeResult decoded = new GreedyDecoder(model).decode(PROMPT, 1, Set.of(), knockout);
    assertEquals(maskedFirst, decoded.tokens()[0]);
  }

  @Test
  void decode_pastMaxLen_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GreedyDecoder(model).decode(PROMPT, 60, Set.of(), null));
    assertEquals(
        "prompt (6 tokens) plus maxNewTokens (60) - 1 must be <= maxLen=64", e.getMessage());
  }

  private static int argmaxOf(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    double diff = TestModels.maxAbsDiff(new float[][] {expected}, new float[][] {actual});
    assertTrue(diff < 1e-5, what + ": max diff " + diff);
  }

  private static ai.djl.ndarray.NDArray tokens(NDManager scope, int[] ids) {
    return LlamaModel.tokenArray(scope, new int[][] {ids});
  }
}
