package io.rhlab.activities.synthesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads users' own multi-document QA data in the Lost-in-the-Middle JSONL format, one question a
 * line:
 *
 * <pre>
 * {"question": "...", "answers": ["..."], "ctxs": [{"title": "...", "text": "...", "hasanswer": true, "isgold": true}, ...]}
 * </pre>
 *
 * and turns each into a {@link TaskExample} with the same prompt {@link MdqaGenerator} writes. The
 * gold position is the first context marked isgold (else the first with hasanswer); the needle is
 * the first answer that occurs in that context's text and exactly once in the whole prompt. A
 * malformed line fails with its line number and the field at fault; sizes are capped so that a
 * hostile file cannot exhaust a worker.
 */
public final class MdqaJsonlReader {
  /** Longest line read, in characters. */
  public static final int MAX_LINE_CHARS = 4 << 20;

  /** Most contexts in one question (the paper uses up to 30). */
  public static final int MAX_CONTEXTS = 1_000;

  /** Task name of the records. */
  public static final String TASK = "mdqa-jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private MdqaJsonlReader() {}

  /**
   * Every line up to {@code maxExamples}; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line and field of the first malformed line
   */
  public static List<TaskExample> read(BufferedReader in, int maxExamples) {
    List<TaskExample> out = new ArrayList<>();
    try {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (out.size() == maxExamples) {
          throw new IllegalArgumentException("line " + number + ": more than the " + maxExamples + " examples allowed");
        }
        out.add(parse(line, number, out.size()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * One line as an example.
   *
   * @param lineNumber 1-based, for messages
   * @param index the example's index in the dataset
   */
  public static TaskExample parse(String line, int lineNumber, long index) {
    String at = "line " + lineNumber + ": ";
    if (line.length() > MAX_LINE_CHARS) {
      throw new IllegalArgumentException(at + "longer than " + MAX_LINE_CHARS + " characters");
    }
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(at + "not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(at + "must be a JSON object");
    }
    String question = text(root, "question", at);
    JsonNode answersNode = root.get("answers");
    if (answersNode == null || !answersNode.isArray() || answersNode.isEmpty()) {
      throw new IllegalArgumentException(at + "answers: must be a non-empty list of strings");
    }
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < answersNode.size(); i++) {
      JsonNode a = answersNode.get(i);
      if (!a.isTextual() || a.asText().isBlank()) {
        throw new IllegalArgumentException(at + "answers[" + i + "]: must be a non-empty string");
      }
      answers.add(a.asText());
    }
    JsonNode ctxs = root.get("ctxs");
    if (ctxs == null || !ctxs.isArray() || ctxs.isEmpty() || ctxs.size() > MAX_CONTEXTS) {
      throw new IllegalArgumentException(at + "ctxs: must be a list of 1 to " + MAX_CONTEXTS + " objects");
    }
    StringBuilder prompt = new StringBuilder(MdqaGenerator.HEAD);
    int gold = -1;
    int withAnswer = -1;
    String goldText = null;
    for (int i = 0; i < ctxs.size(); i++) {
      JsonNode c = ctxs.get(i);
      String where = at + "ctxs[" + i + "].";
      if (!c.isObject()) {
        throw new IllegalArgumentException(at + "ctxs[" + i + "]: must be an object");
      }
      String title = text(c, "title", where);
      String body = text(c, "text", where);
      boolean isGold = flag(c, "isgold", where);
      boolean hasAnswer = flag(c, "hasanswer", where);
      if (isGold && gold < 0) {
        gold = i;
        goldText = body;
      }
      if (hasAnswer && withAnswer < 0) {
        withAnswer = i;
        if (gold < 0) {
          goldText = body;
        }
      }
      prompt.append("Document [").append(i + 1).append("](Title: ").append(title).append(") ").append(body).append('\n');
    }
    prompt.append("\nQuestion: ").append(question).append("\nAnswer:");
    String text = prompt.toString();
    int position = gold >= 0 ? gold : withAnswer;
    List<String> needles = new ArrayList<>();
    if (goldText != null) {
      for (String a : answers) {
        if (goldText.contains(a) && text.indexOf(a) == text.lastIndexOf(a)) {
          needles.add(a);
          break;
        }
      }
    }
    TreeMap<String, Object> attributes = new TreeMap<>();
    attributes.put("documents", ctxs.size());
    if (position >= 0) {
      attributes.put("gold_position", position + 1);
    }
    return new TaskExample(TASK, index, text, " " + answers.get(0), answers, needles, attributes);
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(at + field + ": must be a string");
    }
    return v.asText();
  }

  /** An optional boolean (absent is false). */
  private static boolean flag(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(at + field + ": must be true or false");
    }
    return v.asBoolean();
  }
}
