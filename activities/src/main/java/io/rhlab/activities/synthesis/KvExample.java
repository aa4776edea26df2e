package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
// "task" is written for readers of the JSONL and derived, not read back.
@JsonIgnoreProperties(value = {"task"}, allowGetters = true)
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

  /**
   * This example as the general record: the needle is the gold "key: value" entry, which the
   * generator makes unique in the prompt; attributes name the gold dictionary.
   */
  public TaskExample asTaskExample() {
    return new TaskExample(task(), index, prompt, answer, java.util.List.of(String.valueOf(goldValue)),
        java.util.List.of(goldKey + ": " + goldValue),
        new java.util.TreeMap<>(java.util.Map.of("gold_dictionary", goldDictionary)));
  }
}
