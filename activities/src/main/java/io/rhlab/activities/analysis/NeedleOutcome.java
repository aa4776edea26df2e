package io.rhlab.activities.analysis;

/**
 * What one retrieval-score test gave.
 *
 * @param id the test's id
 * @param response the generated text
 * @param correct whether the answer gate passed (string match, or ROUGE-1 in reference mode)
 * @param span the needle span, or null if not found
 * @param accepted whether the test contributed to the head scores
 */
public record NeedleOutcome(
    String id, String response, boolean correct, NeedleSpan span, boolean accepted) {}
