package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlamaModelTest {

  private static final int[] TOKENS = {3, 17, 5, 5, 39, 0, 22, 8, 11, 30};

  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void forward_multiHead_matchesPlainJavaReference() {
    assertMatchesReference(TestModels.multiHead(), 11);
  }

  @Test
  void forward_groupedQueryTied_matchesPlainJavaReference() {
    assertMatchesReference(TestModels.groupedQuery(), 12);
  }

  @Test
  void forward_qwen2AttentionBiases_matchesPlainJavaReference() {
    assertMatchesReference(TestModels.qwen2Style(), 13);
  }

  @Test
  void initialize_attentionBiases_startAtZero() {
    try (LlamaModel model = LlamaModel.initialize(TestModels.qwen2Style(), 5, manager)) {
      NDArray bias = model.parameter("model.layers.1.self_attn.k_proj.bias");
      assertEquals(new ai.djl.ndarray.types.Shape(16), bias.getShape());
      assertArrayEquals(new float[16], bias.toFloatArray());
    }
  }

  private void assertMatchesReference(ModelConfig config, long seed) {
    Map<String, float[]> weights = ReferenceLlama.randomWeights(config, seed, 0.3);
    double[][] expected = new ReferenceLlama(config, weights).forward(TOKENS).logits;
    try (LlamaModel model = TestModels.model(config, weights, manager);
        NDManager scope = manager.newSubManager()) {
      float[][] actual =
          TestModels.logits(model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS})))[0];
      for (int t = 0; t < TOKENS.length; t++) {
        for (int v = 0; v < config.vocabSize(); v++) {
          TestModels.assertClose(expected[t][v], actual[t][v], 1e-4, "logit t=" + t + " v=" + v);
        }
      }
    }
  }

  @Test
  void forward_groupedQuery_equalsMultiHeadWithExplicitlyRepeatedKvHeads() {
    ModelConfig grouped = TestModels.groupedQuery();
    ModelConfig repeated =
        new ModelConfig(
            grouped.vocabSize(),
            grouped.dModel(),
            grouped.layers(),
            grouped.heads(),
            grouped.heads(),
            grouped.dFf(),
            grouped.ropeTheta(),
            grouped.maxLen(),
            grouped.tiedEmbeddings(),
            grouped.rmsNormEps());
    Map<String, float[]> weights = ReferenceLlama.randomWeights(grouped, 5, 0.3);
    Map<String, float[]> expanded = new LinkedHashMap<>(weights);
    int headDim = grouped.headDim();
    int group = grouped.groupSize();
    for (int l = 0; l < grouped.layers(); l++) {
      for (String proj : new String[] {"k_proj", "v_proj"}) {
        String name = LlamaWeightLayout.layer(l, "self_attn." + proj + ".weight");
        float[] kv = weights.get(name); // (K*D, d)
        float[] full = new float[grouped.heads() * headDim * grouped.dModel()];
        int rowsPerHead = headDim * grouped.dModel();
        for (int h = 0; h < grouped.heads(); h++) {
          // query head h reads kv head h / G (Hugging Face repeat_kv)
          System.arraycopy(kv, (h / group) * rowsPerHead, full, h * rowsPerHead, rowsPerHead);
        }
        expanded.put(name, full);
      }
    }
    try (LlamaModel gqa = TestModels.model(grouped, weights, manager);
        LlamaModel mha = TestModels.model(repeated, expanded, manager);
        NDManager scope = manager.newSubManager()) {
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {TOKENS});
      float[][] a = TestModels.logits(gqa.forward(ids))[0];
      float[][] b = TestModels.logits(mha.forward(ids))[0];
      assertTrue(TestModels.maxAbsDiff(a, b) < 1e-5, "max diff " + TestModels.maxAbsDiff(a, b));
    }
  }

  @Test
  void forward_batchRows_equalSeparateForwards() {
    ModelConfig config = TestModels.groupedQuery();
    int[] other = {9, 9, 1, 2, 3, 4, 5, 6, 7, 8};
    try (LlamaModel model = LlamaModel.initialize(config, 3, manager);
        NDManager scope = manager.newSubManager()) {
      float[][][] both =
          TestModels.logits(
              model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS, other})));
      float[][] first =
          TestModels.logits(model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS})))[0];
      float[][] second =
          TestModels.logits(model.forward(LlamaModel.tokenArray(scope, new int[][] {other})))[0];
      assertTrue(TestModels.maxAbsDiff(both[0], first) < 1e-5);
      assertTrue(TestModels.maxAbsDiff(both[1], second) < 1e-5);
    }
  }

  @Test
  void forward_freshModelsFromSameSeed_areBitwiseEqual() {
    ModelConfig config = TestModels.multiHead();
    float[] first;
    float[] second;
    try (LlamaModel model = LlamaModel.initialize(config, 42, manager);
        NDManager scope = manager.newSubManager()) {
      first =
          model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS})).logits().toFloatArray();
    }
    System.gc();
    try (LlamaModel model = LlamaModel.initialize(config, 42, manager);
        NDManager scope = manager.newSubManager()) {
      second =
          model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS})).logits().toFloatArray();
    }
    assertArrayEquals(first, second);
  }

  @Test
  void forward_leavesNoArraysInModelOrTokenManager() {
    try (LlamaModel model = LlamaModel.initialize(TestModels.groupedQuery(), 1, manager);
        NDManager scope = manager.newSubManager()) {
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {TOKENS});
      model.forward(ids).logits().close(); // first call caches the causal mask
      int modelArrays = model.manager().getManagedArrays().size();
      int scopeArrays = scope.getManagedArrays().size();
      try (KvCache cache = model.newKvCache()) {
        model
            .forward(ids, Instrumentation.builder().recordArgmax().build(), cache)
            .logits()
            .close();
      }
      model.forward(ids).logits().close();
      assertEquals(modelArrays, model.manager().getManagedArrays().size());
      assertEquals(scopeArrays, scope.getManagedArrays().size());
    }
  }

  @Test
  void parameters_receiveGradientsFromMaskedLoss() {
    ModelConfig config = TestModels.groupedQuery();
    try (LlamaModel model = LlamaModel.initialize(config, 7, manager);
        NDManager scope = manager.newSubManager()) {
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {TOKENS});
      float[] answer = new float[TOKENS.length];
      answer[7] = answer[8] = answer[9] = 1f;
      NDArray mask =
          NativeArrays.floats(scope, answer, new ai.djl.ndarray.types.Shape(1, TOKENS.length));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = MaskedCrossEntropy.nextTokenLoss(model.forward(ids).logits(), ids, mask);
        collector.backward(loss);
      }
      assertEquals(LlamaWeightLayout.shapes(config).size(), model.parameters().size());
      for (NamedParameter parameter : model.parameters()) {
        NDArray gradient = parameter.array().getGradient();
        assertNotNull(gradient, parameter.name());
        assertTrue(gradient.abs().sum().getFloat() > 0, parameter.name() + " has a zero gradient");
      }
    }
  }

  /**
   * The loop the trainer will run: forward and loss inside a GradientCollector, then an in-place
   * update outside it. PyTorch accumulates gradients across backward calls, so they are zeroed
   * after each step; gradient handles are closed so the model's manager does not grow.
   */
  @Test
  void sgdSteps_onAnswerTokens_reduceLoss() {
    ModelConfig config = TestModels.groupedQuery();
    float[] answer = new float[TOKENS.length];
    answer[7] = answer[8] = answer[9] = 1f;
    try (LlamaModel model = LlamaModel.initialize(config, 7, manager);
        NDManager scope = manager.newSubManager()) {
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {TOKENS});
      NDArray mask =
          NativeArrays.floats(scope, answer, new ai.djl.ndarray.types.Shape(1, TOKENS.length));
      float first = 0;
      float last = 0;
      model.forward(ids).logits().close(); // caches the causal mask for this length
      int modelArrays = model.manager().getManagedArrays().size();
      for (int step = 0; step < 25; step++) {
        try (NDManager stepScope = scope.newSubManager()) {
          stepScope.tempAttachAll(ids, mask);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = MaskedCrossEntropy.nextTokenLoss(model.forward(ids).logits(), ids, mask);
            collector.backward(loss);
            last = loss.getFloat();
            first = step == 0 ? last : first;
          }
          for (NamedParameter parameter : model.parameters()) {
            try (NDArray gradient = parameter.array().getGradient();
                NDArray update = gradient.mul(0.5f)) {
              parameter.array().subi(update);
            }
          }
          model.zeroGradients();
        }
      }
      assertTrue(last < 0.5f * first, "loss went from " + first + " to " + last);
      assertEquals(modelArrays, model.manager().getManagedArrays().size());
    }
  }

  @Test
  void forward_beyondMaxLen_isRejectedWithTheLimit() {
    ModelConfig config = new ModelConfig(40, 32, 1, 4, 4, 48, 10000.0, 8, false, 1e-5);
    try (LlamaModel model = LlamaModel.initialize(config, 1, manager);
        NDManager scope = manager.newSubManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.forward(LlamaModel.tokenArray(scope, new int[][] {TOKENS})));
      assertEquals("positions up to 10 exceed maxLen=8 (raise ModelConfig.maxLen)", e.getMessage());
    }
  }
}
