package io.rhlab.activities.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.LlamaWeightLayout;
import io.rhlab.activities.model.NamedParameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) written as NDArray operations, in the order of PyTorch's {@code
 * torch.optim.AdamW} (single-tensor path):
 *
 * <pre>
 * p   = p * (1 - lr * weightDecay)                      (decayed parameters only)
 * m   = beta1 * m + (1 - beta1) * g
 * v   = beta2 * v + (1 - beta2) * g * g
 * p   = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * with t the 1-based update count. Weight decay skips RMSNorm gains and biases (1-D) and the token
 * embedding (also the LM head when tied), as is usual for Llama-style training: decaying a norm gain pulls it
 * towards 0 rather than towards "no effect", and decaying embeddings penalises rare tokens.
 *
 * <p>State: the moments are kept in maps keyed by the parameter's Hugging Face name, created as
 * zeros on first use, and owned by this optimizer's manager. {@link #state()} exposes them for
 * {@link TrainingCheckpoint}; {@link #restore} loads them back. The update count travels with them.
 *
 * <p>Global-norm clipping ({@link #globalNorm}, {@link #clip}) is here because DJL's own {@code
 * clipGrad} clips each element to [-c, c], which is not the same thing.
 */
public final class AdamW implements AutoCloseable {

  /** Prefix of first-moment entries in {@link #state()}. */
  public static final String EXP_AVG = "exp_avg.";

  /** Prefix of second-moment entries in {@link #state()}. */
  public static final String EXP_AVG_SQ = "exp_avg_sq.";

  private final NDManager manager;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long updates;

  /**
   * An optimizer with empty state.
   *
   * @param parent manager on the parameters' device; the optimizer keeps its state in a child
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps denominator epsilon
   * @param weightDecay decoupled weight decay (0 for none)
   */
  public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
    this.manager = parent.newSubManager();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /**
   * An optimizer with the betas, epsilon and weight decay of a training configuration.
   *
   * @param parent manager on the parameters' device
   * @param config the run's configuration
   */
  public AdamW(NDManager parent, TrainingConfig config) {
    this(parent, config.beta1(), config.beta2(), config.eps(), config.weightDecay());
  }

  /**
   * Whether a parameter is decayed: every 2-D weight except the token embedding (so no norm gain
   * and no bias).
   *
   * @param name Hugging Face parameter name
   * @return true for attention and MLP projections and an untied LM head
   */
  public static boolean isDecayed(String name) {
    return !name.endsWith("norm.weight")
        && !name.endsWith(".bias")
        && !name.equals(LlamaWeightLayout.EMBED_TOKENS);
  }

  /**
   * The L2 norm of all gradients together, accumulated in double from per-tensor sums of squares
   * (in parameter order, so it is reproducible).
   *
   * @param gradients name to gradient
   * @return sqrt(sum over tensors of sum(g^2))
   */
  public static double globalNorm(Map<String, NDArray> gradients) {
    double sumOfSquares = 0;
    for (NDArray gradient : gradients.values()) {
      try (NDArray squared = gradient.square();
          NDArray sum = squared.sum()) {
        sumOfSquares += sum.getFloat();
      }
    }
    return Math.sqrt(sumOfSquares);
  }

  /**
   * The factor gradients are multiplied by when clipping to a global norm, as in PyTorch's {@code
   * clip_grad_norm_}: {@code min(1, maxNorm / (norm + 1e-6))}; 1 when {@code maxNorm} is 0
   * (clipping disabled).
   *
   * @param norm the gradients' global norm
   * @param maxNorm the bound, or 0 for none
   * @return the factor in (0, 1]
   */
  public static double clipFactor(double norm, double maxNorm) {
    if (maxNorm <= 0) {
      return 1.0;
    }
    return Math.min(1.0, maxNorm / (norm + 1e-6));
  }

  /**
   * Clips gradients in place to a global norm.
   *
   * @param gradients name to gradient; scaled in place when their norm exceeds {@code maxNorm}
   * @param maxNorm the bound, or 0 for none
   * @return the norm before clipping
   */
  public static double clip(Map<String, NDArray> gradients, double maxNorm) {
    double norm = globalNorm(gradients);
    double factor = clipFactor(norm, maxNorm);
    if (factor < 1.0) {
      for (NDArray gradient : gradients.values()) {
        gradient.muli((float) factor);
      }
    }
    return norm;
  }

  /**
   * One update of every parameter that has a gradient.
   *
   * @param parameters the model's parameters
   * @param gradients name to gradient (already averaged and clipped)
   * @param learningRate this step's learning rate
   * @throws IllegalArgumentException if a parameter has no gradient
   */
  public void update(
      List<NamedParameter> parameters, Map<String, NDArray> gradients, double learningRate) {
    updates++;
    double biasCorrection1 = 1 - Math.pow(beta1, updates);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, updates));
    float stepSize = (float) (learningRate / biasCorrection1);
    for (NamedParameter parameter : parameters) {
      NDArray gradient = gradients.get(parameter.name());
      if (gradient == null) {
        throw new IllegalArgumentException("no gradient for " + parameter.name());
      }
      NDArray weight = parameter.array();
      NDArray m = expAvg.computeIfAbsent(parameter.name(), name -> zerosLike(weight));
      NDArray v = expAvgSq.computeIfAbsent(parameter.name(), name -> zerosLike(weight));
      // Temporaries land in the scope: every operation below starts from an array attached to it.
      try (NDManager scope = manager.newSubManager()) {
        scope.tempAttachAll(weight, m, v, gradient);
        if (weightDecay > 0 && isDecayed(parameter.name())) {
          weight.muli((float) (1 - learningRate * weightDecay));
        }
        m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(gradient.mul(gradient).muli((float) (1 - beta2)));
        NDArray denominator = v.sqrt().divi((float) biasCorrection2Sqrt).addi((float) eps);
        weight.subi(m.div(denominator).muli(stepSize));
      }
    }
  }

  /** Number of updates done so far (t of the bias correction of the next update is this + 1). */
  public long updates() {
    return updates;
  }

  /**
   * The moments, keyed {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}, in parameter order.
   * The arrays are the optimizer's own (not copies); empty before the first update.
   *
   * @return an unmodifiable view
   */
  public Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    expAvg.forEach((name, array) -> state.put(EXP_AVG + name, array));
    expAvgSq.forEach((name, array) -> state.put(EXP_AVG_SQ + name, array));
    return Collections.unmodifiableMap(state);
  }

  /**
   * Replaces the state with copies of saved moments.
   *
   * @param state entries as written by {@link #state()}
   * @param updateCount the saved {@link #updates()}
   * @param parameters the model's parameters; every one must have both moments, of its shape
   * @throws IllegalArgumentException naming the entry, if one is missing, unexpected or mis-shaped
   */
  public void restore(Map<String, NDArray> state, long updateCount, List<NamedParameter> parameters) {
    if (updateCount < 0) {
      throw new IllegalArgumentException("updateCount must be >= 0, got " + updateCount);
    }
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    if (updateCount > 0) {
      for (NamedParameter parameter : parameters) {
        first.put(parameter.name(), copyOf(state, EXP_AVG + parameter.name(), parameter));
        second.put(parameter.name(), copyOf(state, EXP_AVG_SQ + parameter.name(), parameter));
      }
    }
    int expected = first.size() + second.size();
    if (state.size() != expected) {
      first.values().forEach(NDArray::close);
      second.values().forEach(NDArray::close);
      throw new IllegalArgumentException(
          "optimizer state holds " + state.size() + " entries, expected " + expected
              + " for " + parameters.size() + " parameters after " + updateCount + " updates");
    }
    expAvg.values().forEach(NDArray::close);
    expAvgSq.values().forEach(NDArray::close);
    expAvg.clear();
    expAvgSq.clear();
    expAvg.putAll(first);
    expAvgSq.putAll(second);
    updates = updateCount;
  }

  private NDArray copyOf(Map<String, NDArray> state, String key, NamedParameter parameter) {
    NDArray saved = state.get(key);
    if (saved == null) {
      throw new IllegalArgumentException("optimizer state lacks " + key);
    }
    if (!saved.getShape().equals(parameter.array().getShape())) {
      throw new IllegalArgumentException(
          key + " must have shape " + parameter.array().getShape() + ", got " + saved.getShape());
    }
    NDArray copy =
        saved.getDevice().equals(manager.getDevice())
            ? saved.duplicate()
            : saved.toDevice(manager.getDevice(), true);
    copy.attach(manager);
    return copy;
  }

  private NDArray zerosLike(NDArray weight) {
    return manager.zeros(weight.getShape(), weight.getDataType());
  }

  /** Frees the moments. */
  @Override
  public void close() {
    manager.close();
  }
}
