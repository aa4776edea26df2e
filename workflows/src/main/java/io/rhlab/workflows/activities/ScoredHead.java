package io.rhlab.workflows.activities;

/** One attention head and its retrieval score. */
public record ScoredHead(int layer, int head, double score) {
  /** "layer.head", as in tables and reports. */
  public String label() {
    return layer + "." + head;
  }
}
