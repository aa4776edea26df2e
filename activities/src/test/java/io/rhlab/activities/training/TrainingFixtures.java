package io.rhlab.activities.training;

import ai.djl.ndarray.NDArray;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.ModelConfig;
import io.rhlab.activities.model.NamedParameter;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small models and data shared by the training tests. */
final class TrainingFixtures {

  static final SyntheticTokenizer TOKENIZER = SyntheticTokenizer.withTemplateWords();

  private TrainingFixtures() {}

  /** d=32, 2 layers, 4 heads, tied embeddings, synthetic vocabulary. */
  static ModelConfig tinyModel() {
    return new ModelConfig(TOKENIZER.vocabSize(), 32, 2, 4, 4, 64, 10000.0, 256, true, 1e-5);
  }

  /** Key-value data: one dictionary of two keys, 1-2 digit numbers. */
  static KvRetrievalData tinyKv(long seed) {
    return new KvRetrievalData(100, 1, 2, 2, 2, 1, 2, false, seed, 1000);
  }

  /** n training examples of {@link #tinyKv}. */
  static List<TrainingExample> kvExamples(int n, long seed) {
    KvRetrievalGenerator generator = new KvRetrievalGenerator(tinyKv(seed));
    List<TrainingExample> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      examples.add(TrainingExample.of(generator.example(i)));
    }
    return examples;
  }

  /** Every parameter's values, by name. */
  static Map<String, float[]> weights(LlamaModel model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (NamedParameter p : model.parameters()) {
      values.put(p.name(), p.array().toFloatArray());
    }
    return values;
  }

  /** Every optimizer moment's values, by state key. */
  static Map<String, float[]> moments(AdamW optimizer) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : optimizer.state().entrySet()) {
      values.put(e.getKey(), e.getValue().toFloatArray());
    }
    return values;
  }

  /** Largest |a - b| over all entries; both maps must have the same keys and shapes. */
  static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      throw new AssertionError("different names: " + a.keySet() + " vs " + b.keySet());
    }
    double max = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs((double) x[i] - y[i]));
      }
    }
    return max;
  }

  /** Names whose arrays differ in any bit. */
  static List<String> bitwiseDifferences(Map<String, float[]> a, Map<String, float[]> b) {
    List<String> differ = new ArrayList<>();
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      if (y == null || x.length != y.length) {
        differ.add(name);
        continue;
      }
      for (int i = 0; i < x.length; i++) {
        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
          differ.add(name);
          break;
        }
      }
    }
    return differ;
  }

  static String describe(Map<String, float[]> values) {
    StringBuilder text = new StringBuilder();
    values.forEach((k, v) -> text.append(k).append(Arrays.toString(Arrays.copyOf(v, 3))).append('\n'));
    return text.toString();
  }
}
