package io.rhlab.activities.model;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * An independent Llama forward in plain Java (double precision, loops, no DJL) for one sequence,
 * written from the Hugging Face modeling code's equations. It keeps the per-layer intermediates the
 * tests compare against.
 */
final class ReferenceLlama {

  final ModelConfig config;
  final Map<String, float[]> weights;

  ReferenceLlama(ModelConfig config, Map<String, float[]> weights) {
    this.config = config;
    this.weights = weights;
  }

  /** Random weights for every parameter: norms around 1, matrices normal(0, std). */
  static Map<String, float[]> randomWeights(ModelConfig config, long seed, double std) {
    Random random = new Random(seed);
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> entry : LlamaWeightLayout.shapes(config).entrySet()) {
      float[] values = new float[(int) entry.getValue().size()];
      boolean norm = entry.getKey().endsWith("norm.weight");
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (norm ? 1 + 0.1 * random.nextGaussian() : std * random.nextGaussian());
      }
      weights.put(entry.getKey(), values);
    }
    return weights;
  }

  /** Everything one forward computed. Indices: [layer][head][position][channel] etc. */
  static final class Trace {
    double[][][][] queries; // [L][H][T][D], after RoPE
    double[][][][] keys; // [L][K][T][D], after RoPE
    double[][][][] values; // [L][K][T][D]
    double[][][][] headOutputs; // [L][T][H][D], before o_proj
    double[][] logits; // [T][V]
  }

  Trace forward(int[] tokens) {
    int steps = tokens.length;
    int d = config.dModel();
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    int headDim = config.headDim();
    int group = heads / kvHeads;
    int layers = config.layers();
    Trace trace = new Trace();
    trace.queries = new double[layers][heads][steps][];
    trace.keys = new double[layers][kvHeads][steps][];
    trace.values = new double[layers][kvHeads][steps][];
    trace.headOutputs = new double[layers][steps][heads][];
    float[] embed = weights.get("model.embed_tokens.weight");
    double[][] x = new double[steps][d];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < d; i++) {
        x[t][i] = embed[tokens[t] * d + i];
      }
    }
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      for (int t = 0; t < steps; t++) {
        double[] h = rmsNorm(x[t], weights.get(p + "input_layernorm.weight"));
        double[] q = projection(p + "self_attn.q_proj", h, heads * headDim);
        double[] k = projection(p + "self_attn.k_proj", h, kvHeads * headDim);
        double[] v = projection(p + "self_attn.v_proj", h, kvHeads * headDim);
        for (int hh = 0; hh < heads; hh++) {
          trace.queries[l][hh][t] = rope(slice(q, hh * headDim, headDim), t);
        }
        for (int kk = 0; kk < kvHeads; kk++) {
          trace.keys[l][kk][t] = rope(slice(k, kk * headDim, headDim), t);
          trace.values[l][kk][t] = slice(v, kk * headDim, headDim);
        }
      }
      double[][] attended = new double[steps][];
      for (int t = 0; t < steps; t++) {
        double[] merged = new double[heads * headDim];
        for (int hh = 0; hh < heads; hh++) {
          int kk = hh / group;
          double[] probabilities = new double[t + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int s = 0; s <= t; s++) {
            probabilities[s] =
                dot(trace.queries[l][hh][t], trace.keys[l][kk][s]) / Math.sqrt(headDim);
            max = Math.max(max, probabilities[s]);
          }
          double total = 0;
          for (int s = 0; s <= t; s++) {
            probabilities[s] = Math.exp(probabilities[s] - max);
            total += probabilities[s];
          }
          double[] out = new double[headDim];
          for (int s = 0; s <= t; s++) {
            for (int i = 0; i < headDim; i++) {
              out[i] += probabilities[s] / total * trace.values[l][kk][s][i];
            }
          }
          trace.headOutputs[l][t][hh] = out;
          System.arraycopy(out, 0, merged, hh * headDim, headDim);
        }
        attended[t] = add(x[t], matVec(weights.get(p + "self_attn.o_proj.weight"), merged, d));
      }
      for (int t = 0; t < steps; t++) {
        double[] h = rmsNorm(attended[t], weights.get(p + "post_attention_layernorm.weight"));
        double[] gate = matVec(weights.get(p + "mlp.gate_proj.weight"), h, config.dFf());
        double[] up = matVec(weights.get(p + "mlp.up_proj.weight"), h, config.dFf());
        double[] activated = new double[config.dFf()];
        for (int i = 0; i < activated.length; i++) {
          activated[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
        }
        x[t] = add(attended[t], matVec(weights.get(p + "mlp.down_proj.weight"), activated, d));
      }
    }
    float[] head = config.tiedEmbeddings() ? embed : weights.get("lm_head.weight");
    trace.logits = new double[steps][];
    for (int t = 0; t < steps; t++) {
      trace.logits[t] =
          matVec(head, rmsNorm(x[t], weights.get("model.norm.weight")), config.vocabSize());
    }
    return trace;
  }

  /** W x, plus the bias when the weights have one (Qwen2's q, k and v). */
  double[] projection(String prefix, double[] x, int out) {
    double[] y = matVec(weights.get(prefix + ".weight"), x, out);
    float[] bias = weights.get(prefix + ".bias");
    if (bias != null) {
      for (int o = 0; o < out; o++) {
        y[o] += bias[o];
      }
    }
    return y;
  }

  /** Hugging Face rotate_half RoPE of one head vector at one position. */
  double[] rope(double[] u, int position) {
    int dim = u.length;
    int half = dim / 2;
    double[] out = new double[dim];
    for (int i = 0; i < half; i++) {
      double angle = position * Math.pow(config.ropeTheta(), -2.0 * i / dim);
      double c = Math.cos(angle);
      double s = Math.sin(angle);
      out[i] = u[i] * c - u[i + half] * s;
      out[i + half] = u[i + half] * c + u[i] * s;
    }
    return out;
  }

  double[] rmsNorm(double[] x, float[] gain) {
    double meanSquare = 0;
    for (double value : x) {
      meanSquare += value * value;
    }
    meanSquare /= x.length;
    double scale = 1 / Math.sqrt(meanSquare + config.rmsNormEps());
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * scale * gain[i];
    }
    return out;
  }

  /** y = W x for a row-major (out, in) matrix, as torch Linear. */
  static double[] matVec(float[] matrix, double[] x, int out) {
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        sum += matrix[o * x.length + i] * x[i];
      }
      y[o] = sum;
    }
    return y;
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double[] add(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  static double[] slice(double[] a, int start, int length) {
    double[] out = new double[length];
    System.arraycopy(a, start, out, 0, length);
    return out;
  }
}
