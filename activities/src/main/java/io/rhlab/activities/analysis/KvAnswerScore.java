package io.rhlab.activities.analysis;

import java.util.List;

/**
 * Scores a key-value retrieval answer (Xiong et al. 2024's "The value of key K is V and it is in
 * Dictionary [N]."): the value and the dictionary are judged separately by {@link StringMatch}.
 *
 * @param valueCorrect the gold value occurs in the output as a whole number
 * @param dictionaryCorrect "Dictionary N" occurs in the output (brackets and case ignored)
 */
public record KvAnswerScore(boolean valueCorrect, boolean dictionaryCorrect) {

  /**
   * Judges one output.
   *
   * @param output generated text
   * @param goldValue the gold value, e.g. "7634"
   * @param goldDictionary the gold dictionary's name, e.g. "27"
   * @return the two judgements
   */
  public static KvAnswerScore of(String output, String goldValue, String goldDictionary) {
    return new KvAnswerScore(
        StringMatch.contains(output, goldValue),
        StringMatch.contains(output, "Dictionary " + goldDictionary));
  }

  /** Both parts right. */
  public boolean bothCorrect() {
    return valueCorrect && dictionaryCorrect;
  }

  /**
   * Accuracies over many outputs.
   *
   * @param value share with the right value
   * @param dictionary share with the right dictionary
   * @param both share with both right
   */
  public record Summary(Accuracy value, Accuracy dictionary, Accuracy both) {

    /** Summarises judged outputs. */
    public static Summary of(List<KvAnswerScore> scores) {
      return new Summary(
          AccuracyTable.overall(scores, KvAnswerScore::valueCorrect),
          AccuracyTable.overall(scores, KvAnswerScore::dictionaryCorrect),
          AccuracyTable.overall(scores, KvAnswerScore::bothCorrect));
    }
  }
}
