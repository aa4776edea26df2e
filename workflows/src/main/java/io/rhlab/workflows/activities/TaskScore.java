package io.rhlab.workflows.activities;

import java.util.SortedMap;

/**
 * A model's accuracy on an evaluation set.
 *
 * @param set the evaluation set's name
 * @param examples how many examples were scored
 * @param correct how many answers contained an acceptable answer string
 * @param slices accuracy by slice, e.g. "position=10" or "length=256,depth=50"
 */
public record TaskScore(String set, int examples, int correct, SortedMap<String, Double> slices) {
  public double accuracy() {
    return examples == 0 ? 0 : (double) correct / examples;
  }
}
