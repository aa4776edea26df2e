package io.rhlab.activities.model;

/**
 * One query head of one layer, counted after grouped-query expansion (so {@code head} ranges over
 * {@code ModelConfig.heads()}, not the key/value heads).
 *
 * @param layer decoder layer, from 0
 * @param head query head within the layer, from 0
 */
public record AttentionHead(int layer, int head) {

  /** Rejects negative indices. */
  public AttentionHead {
    if (layer < 0) {
      throw new IllegalArgumentException("layer must be >= 0, got " + layer);
    }
    if (head < 0) {
      throw new IllegalArgumentException("head must be >= 0, got " + head);
    }
  }

  /**
   * Checks this head exists in a model.
   *
   * @param config the model's configuration
   * @throws IllegalArgumentException naming the out-of-range index
   */
  public void requireIn(ModelConfig config) {
    if (layer >= config.layers()) {
      throw new IllegalArgumentException(
          "layer must be in [0, " + config.layers() + "), got " + layer);
    }
    if (head >= config.heads()) {
      throw new IllegalArgumentException(
          "head must be in [0, " + config.heads() + "), got " + head);
    }
  }

  @Override
  public String toString() {
    return "L" + layer + "H" + head;
  }
}
