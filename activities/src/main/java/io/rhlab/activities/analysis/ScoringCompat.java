package io.rhlab.activities.analysis;

/** Whether the retrieval score follows the platform's correct behaviour or the reference code's. */
public enum ScoringCompat {
  /**
   * Needle span by exact token sub-sequence; a test counts when an expected answer occurs in the
   * response (normalised string match); a test whose needle is not found is left out and listed.
   */
  CORRECT,

  /**
   * As nightdessert/Retrieval_Head: needle span by the > 90% token-set-overlap window; a test
   * counts when the ROUGE-1 recall (stemmed) of the response against the needle text is > 0.5; a
   * counted test whose needle is not found adds zeros.
   */
  REFERENCE
}
