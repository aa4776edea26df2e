package io.rhlab.activities.analysis;

import java.util.List;

/**
 * A greedy generation and its text.
 *
 * @param tokens generated ids, ending with the stop token if one was generated
 * @param text the decoded text of {@code tokens}, with leading and trailing whitespace removed
 * @param argmaxPerStep per generated token the [layers][heads] argmax key positions of the forward
 *     that chose it; empty unless recorded
 */
public record Generation(int[] tokens, String text, List<int[][]> argmaxPerStep) {}
