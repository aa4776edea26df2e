package io.rhlab.activities.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a forward pass should record or change inside the attention blocks, in one immutable object.
 * {@link #NONE} (or null) runs the plain model, and a layer that no option touches runs exactly the
 * plain code, so instrumentation costs nothing when unused.
 *
 * <ul>
 *   <li><b>retrieval argmax</b>: for the last query row of each forward (the decode step), per
 *       layer and query head, the key position with the largest logit q.k/sqrt(d) (softmax is
 *       monotonic, so no attention matrix is kept). It is taken after query masks: a head whose
 *       query is zeroed has all logits equal and reports position 0;
 *   <li><b>head masks</b>: knockouts per head, see {@link HeadMaskOperator} and {@link MaskScope};
 *   <li><b>capture</b>: per-head outputs before o_proj into a {@link HeadOutputCache};
 *   <li><b>patch</b>: chosen heads' outputs replaced by those recorded in another run.
 * </ul>
 *
 * Within a layer the order is: query masks, attention, output masks, patch, capture.
 */
public final class Instrumentation {

  /** Plain forward: records nothing, changes nothing. */
  public static final Instrumentation NONE = builder().build();

  private final boolean recordArgmax;
  private final Map<AttentionHead, HeadMask> masks;
  private final HeadOutputCache captureInto;
  private final HeadOutputCache patchFrom;
  private final Set<AttentionHead> patchHeads;

  private Instrumentation(Builder builder) {
    this.recordArgmax = builder.recordArgmax;
    this.masks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.masks));
    this.captureInto = builder.captureInto;
    this.patchFrom = builder.patchFrom;
    this.patchHeads = Collections.unmodifiableSet(new LinkedHashSet<>(builder.patchHeads));
  }

  /** A builder with every option off. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the per-head argmax key position of the last query row is recorded. */
  public boolean recordArgmax() {
    return recordArgmax;
  }

  /** The head masks, keyed by head. */
  public Map<AttentionHead, HeadMask> masks() {
    return masks;
  }

  /** Where head outputs are recorded, or null. */
  public HeadOutputCache captureInto() {
    return captureInto;
  }

  /** Where patched head outputs come from, or null. */
  public HeadOutputCache patchFrom() {
    return patchFrom;
  }

  /** The heads whose outputs are patched. */
  public Set<AttentionHead> patchHeads() {
    return patchHeads;
  }

  /**
   * Checks every head index against a model.
   *
   * @param config the model's configuration
   * @throws IllegalArgumentException naming an out-of-range layer or head
   */
  public void requireFits(ModelConfig config) {
    masks.keySet().forEach(head -> head.requireIn(config));
    patchHeads.forEach(head -> head.requireIn(config));
    for (HeadOutputCache cache : new HeadOutputCache[] {captureInto, patchFrom}) {
      if (cache != null && cache.layers() != config.layers()) {
        throw new IllegalArgumentException(
            "HeadOutputCache has " + cache.layers() + " layers, the model " + config.layers());
      }
    }
  }

  /**
   * What this instrumentation does in one layer of a forward that follows {@code past} positions.
   */
  LayerPlan plan(int layer, int heads, int past) {
    float[] queryKeep = null;
    float[] outputKeep = null;
    float[] meanTake = null;
    boolean tracksMean = false;
    for (HeadMask mask : masks.values()) {
      if (mask.head().layer() != layer) {
        continue;
      }
      int head = mask.head().head();
      if (mask.operator() == HeadMaskOperator.MEAN_OUTPUT) {
        tracksMean = true;
      }
      if (!mask.scope().appliesAt(past)) {
        continue;
      }
      switch (mask.operator()) {
        case QUERY_ZERO -> {
          queryKeep = onesIfNull(queryKeep, heads);
          queryKeep[head] = 0f;
        }
        case ZERO_OUTPUT -> {
          outputKeep = onesIfNull(outputKeep, heads);
          outputKeep[head] = 0f;
        }
        case MEAN_OUTPUT -> {
          outputKeep = onesIfNull(outputKeep, heads);
          outputKeep[head] = 0f;
          meanTake = meanTake == null ? new float[heads] : meanTake;
          meanTake[head] = 1f;
        }
      }
    }
    float[] patchTake = null;
    for (AttentionHead head : patchHeads) {
      if (head.layer() == layer) {
        patchTake = patchTake == null ? new float[heads] : patchTake;
        patchTake[head.head()] = 1f;
      }
    }
    return new LayerPlan(
        queryKeep,
        outputKeep,
        meanTake,
        tracksMean,
        patchTake,
        patchTake == null ? null : patchFrom,
        captureInto,
        recordArgmax);
  }

  private static float[] onesIfNull(float[] keep, int heads) {
    if (keep != null) {
      return keep;
    }
    float[] ones = new float[heads];
    java.util.Arrays.fill(ones, 1f);
    return ones;
  }

  /**
   * One layer's share of an instrumentation, as per-head 0/1 factors.
   *
   * @param queryKeep per head 1, or 0 to zero the query; null for none
   * @param outputKeep per head 1, or 0 to drop the head's output; null for none
   * @param meanTake per head 1 to add the running-mean output; null for none
   * @param tracksMean whether the running output sum must be kept (any MEAN_OUTPUT in the layer)
   * @param patchTake per head 1 to take the recorded output; null for none
   */
  record LayerPlan(
      float[] queryKeep,
      float[] outputKeep,
      float[] meanTake,
      boolean tracksMean,
      float[] patchTake,
      HeadOutputCache patchFrom,
      HeadOutputCache captureInto,
      boolean recordArgmax) {

    /** Whether the head outputs are touched at all after attention. */
    boolean touchesOutputs() {
      return outputKeep != null || tracksMean || patchTake != null || captureInto != null;
    }
  }

  /** Collects options; {@link #build()} checks that no head is masked twice. */
  public static final class Builder {
    private boolean recordArgmax;
    private final Map<AttentionHead, HeadMask> masks = new LinkedHashMap<>();
    private HeadOutputCache captureInto;
    private HeadOutputCache patchFrom;
    private final Set<AttentionHead> patchHeads = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Records, per layer and query head, the argmax key position of each forward's last query row.
     *
     * @return this builder
     */
    public Builder recordArgmax() {
      this.recordArgmax = true;
      return this;
    }

    /**
     * Adds a head mask.
     *
     * @param mask the knockout
     * @return this builder
     * @throws IllegalArgumentException if the head already has a mask
     */
    public Builder mask(HeadMask mask) {
      Objects.requireNonNull(mask, "mask");
      if (masks.putIfAbsent(mask.head(), mask) != null) {
        throw new IllegalArgumentException("head " + mask.head() + " is masked twice");
      }
      return this;
    }

    /**
     * Adds one mask of the same operator and scope for each head.
     *
     * @param heads the heads to knock out
     * @param operator how they are silenced
     * @param scope which forwards the masks act on
     * @return this builder
     */
    public Builder mask(
        Collection<AttentionHead> heads, HeadMaskOperator operator, MaskScope scope) {
      heads.forEach(head -> mask(new HeadMask(head, operator, scope)));
      return this;
    }

    /**
     * Records every head's output before o_proj into {@code cache}, appending along positions.
     *
     * @param cache the destination
     * @return this builder
     */
    public Builder captureInto(HeadOutputCache cache) {
      this.captureInto = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Replaces the outputs of {@code heads} by those recorded in {@code source} at the same
     * positions (source batch equal to this run's, or 1 to broadcast).
     *
     * @param source outputs recorded in another run
     * @param heads the heads to patch
     * @return this builder
     */
    public Builder patch(HeadOutputCache source, Collection<AttentionHead> heads) {
      this.patchFrom = Objects.requireNonNull(source, "source");
      this.patchHeads.addAll(heads);
      return this;
    }

    /** The instrumentation. */
    public Instrumentation build() {
      return new Instrumentation(this);
    }
  }
}
