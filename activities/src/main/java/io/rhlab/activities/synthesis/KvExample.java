package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One key-value retrieval example, as one JSONL line.
 *
 * @param index position in the dataset; the example depends only on (seed, index)
 * @param prompt the dictionaries and the question
 * @param answer the target completion; the loss is taken on it alone
 * @param goldKey the asked key, unique in the prompt
 * @param goldValue its value, unique in the prompt
 * @param goldDictionary the 1-based name (and position) of the dictionary holding the key
 */
@JsonPropertyOrder({"task", "index", "prompt", "answer", "gold_key", "gold_value", "gold_dictionary"})
public record KvExample(
    long index,
    String prompt,
    String answer,
    @JsonProperty("gold_key") int goldKey,
    @JsonProperty("gold_value") int goldValue,
    @JsonProperty("gold_dictionary") int goldDictionary) {

  @JsonProperty("task")
  public String task() {
    return "kv-retrieval";
  }
}
