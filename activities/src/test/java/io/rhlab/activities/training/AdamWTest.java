package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rhlab.activities.model.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  /** Plain-Java AdamW in double, written from the paper's algorithm (decoupled decay). */
  private static final class ReferenceAdamW {
    final double[] m;
    final double[] v;
    int t;

    ReferenceAdamW(int n) {
      m = new double[n];
      v = new double[n];
    }

    void step(double[] p, double[] g, double lr, double b1, double b2, double eps, double wd) {
      t++;
      for (int i = 0; i < p.length; i++) {
        p[i] -= lr * wd * p[i];
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
    }
  }

  private static NDArray floats(NDManager manager, float[] values) {
    try (NDArray view = manager.create(values, new Shape(values.length))) {
      return view.duplicate();
    }
  }

  @Test
  void update_twoStepsMatchPlainJava() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.95;
    double eps = 1e-8;
    double wd = 0.1;
    float[] start = {0.5f, -1.25f, 2.0f, 0.001f};
    float[][] grads = {{0.1f, -0.2f, 0.3f, 0f}, {-0.05f, 0.4f, 0.3f, 1e-3f}};
    double[] reference = new double[start.length];
    for (int i = 0; i < start.length; i++) {
      reference[i] = start[i];
    }
    ReferenceAdamW plain = new ReferenceAdamW(start.length);
    try (NDManager manager = NDManager.newBaseManager();
        AdamW adam = new AdamW(manager, b1, b2, eps, wd)) {
      NDArray weight = floats(manager, start);
      // A 2-D projection name so that weight decay applies.
      List<NamedParameter> parameters = List.of(new NamedParameter("model.layers.0.self_attn.q_proj.weight", weight));
      for (float[] g : grads) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        gradients.put(parameters.get(0).name(), floats(manager, g));
        adam.update(parameters, gradients, lr);
        double[] gd = new double[g.length];
        for (int i = 0; i < g.length; i++) {
          gd[i] = g[i];
        }
        plain.step(reference, gd, lr, b1, b2, eps, wd);
      }
      float[] actual = weight.toFloatArray();
      for (int i = 0; i < actual.length; i++) {
        assertEquals(reference[i], actual[i], 1e-6, "weight " + i);
      }
      assertEquals(2, adam.updates());
      float[] m = adam.state().get("exp_avg.model.layers.0.self_attn.q_proj.weight").toFloatArray();
      float[] v = adam.state().get("exp_avg_sq.model.layers.0.self_attn.q_proj.weight").toFloatArray();
      for (int i = 0; i < m.length; i++) {
        assertEquals(plain.m[i], m[i], 1e-7, "exp_avg " + i);
        assertEquals(plain.v[i], v[i], 1e-9, "exp_avg_sq " + i);
      }
    }
  }

  @Test
  void update_noDecayOnNormsAndEmbeddings() {
    assertFalse(AdamW.isDecayed("model.layers.3.input_layernorm.weight"));
    assertFalse(AdamW.isDecayed("model.layers.3.post_attention_layernorm.weight"));
    assertFalse(AdamW.isDecayed("model.norm.weight"));
    assertFalse(AdamW.isDecayed("model.embed_tokens.weight"));
    assertFalse(AdamW.isDecayed("model.layers.1.self_attn.k_proj.bias"));
    assertTrue(AdamW.isDecayed("model.layers.0.mlp.down_proj.weight"));
    assertTrue(AdamW.isDecayed("lm_head.weight"));
    // With a zero gradient, a non-decayed parameter does not move at all.
    try (NDManager manager = NDManager.newBaseManager();
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.5)) {
      NDArray norm = floats(manager, new float[] {1f, 2f});
      List<NamedParameter> parameters = List.of(new NamedParameter("model.norm.weight", norm));
      adam.update(parameters, Map.of("model.norm.weight", floats(manager, new float[] {0f, 0f})), 0.1);
      float[] after = norm.toFloatArray();
      assertEquals(1f, after[0]);
      assertEquals(2f, after[1]);
    }
  }

  @Test
  void clip_scalesToTheGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      gradients.put("a", floats(manager, new float[] {3f, 0f}));
      gradients.put("b", floats(manager, new float[] {0f, 4f, 12f}));
      // Global norm sqrt(9 + 16 + 144) = 13; bound 6.5 gives factor 6.5 / (13 + 1e-6).
      double norm = AdamW.clip(gradients, 6.5);
      assertEquals(13.0, norm, 1e-6);
      double factor = 6.5 / (13.0 + 1e-6);
      float[] a = gradients.get("a").toFloatArray();
      float[] b = gradients.get("b").toFloatArray();
      assertEquals(3 * factor, a[0], 1e-6);
      assertEquals(4 * factor, b[1], 1e-6);
      assertEquals(12 * factor, b[2], 1e-6);
      assertEquals(6.5, AdamW.globalNorm(gradients), 1e-5);
    }
  }

  @Test
  void clip_belowTheBoundOrDisabledLeavesGradients() {
    assertEquals(1.0, AdamW.clipFactor(0.5, 1.0));
    assertEquals(1.0, AdamW.clipFactor(100.0, 0.0));
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      gradients.put("a", floats(manager, new float[] {0.3f, 0.4f}));
      assertEquals(0.5, AdamW.clip(gradients, 1.0), 1e-7);
      assertEquals(0.3f, gradients.get("a").toFloatArray()[0]);
    }
  }
}
