package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One example of any task, as one JSONL line: what training, string-match scoring and the
 * retrieval score need.
 *
 * @param task the task name (e.g. niah, mdqa)
 * @param index position in the dataset; a generated example depends only on (seed, index)
 * @param prompt the model's input
 * @param answer the training target completion (the loss is taken on it alone)
 * @param answers acceptable strings for string-match scoring (any one of them in the output)
 * @param needles the exact spans of the prompt that hold the answer, in answer order, each occurring
 *     once in the prompt (the retrieval score's needle span); empty where there is none
 * @param attributes sorted; values are strings or integers (context length, depth percent, gold
 *     position, quadrant, ...), the axes results are grouped by
 */
@JsonPropertyOrder({"task", "index", "prompt", "answer", "answers", "needles", "attributes"})
public record TaskExample(
    String task,
    long index,
    String prompt,
    String answer,
    List<String> answers,
    List<String> needles,
    SortedMap<String, Object> attributes) {

  public TaskExample {
    answers = List.copyOf(answers);
    needles = List.copyOf(needles);
    TreeMap<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      Object v = e.getValue();
      // Integers and strings only, so a JSON round trip gives back an equal record.
      if (v instanceof Long l && l == l.intValue()) {
        v = l.intValue();
      }
      if (!(v instanceof Integer) && !(v instanceof String)) {
        throw new IllegalArgumentException("attribute " + e.getKey() + " must be an int or a string, got " + v);
      }
      sorted.put(e.getKey(), v);
    }
    attributes = java.util.Collections.unmodifiableSortedMap(sorted);
  }
}
