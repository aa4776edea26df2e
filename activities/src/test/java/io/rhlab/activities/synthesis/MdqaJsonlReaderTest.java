package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MdqaJsonlReaderTest {
  private static final String LINE =
      "{\"question\": \"who wrote the opera Tosca\", \"answers\": [\"Giacomo Puccini\", \"Puccini\"], \"ctxs\": ["
          + "{\"title\": \"La boheme\", \"text\": \"An opera in four acts.\", \"hasanswer\": false, \"isgold\": false},"
          + "{\"title\": \"Tosca\", \"text\": \"Tosca is an opera by Giacomo Puccini.\", \"hasanswer\": true, \"isgold\": true}]}";

  @Test
  void read_buildsTheLostInTheMiddlePrompt() {
    List<TaskExample> examples = MdqaJsonlReader.read(new BufferedReader(new StringReader(LINE + "\n\n" + LINE + "\n")), 10);
    assertEquals(2, examples.size());
    TaskExample e = examples.get(0);
    assertEquals("Write a high-quality answer for the given question using only the provided search results"
        + " (some of which might be irrelevant).\n\n"
        + "Document [1](Title: La boheme) An opera in four acts.\n"
        + "Document [2](Title: Tosca) Tosca is an opera by Giacomo Puccini.\n\n"
        + "Question: who wrote the opera Tosca\nAnswer:", e.prompt());
    assertEquals(" Giacomo Puccini", e.answer());
    assertEquals(List.of("Giacomo Puccini", "Puccini"), e.answers());
    assertEquals(List.of("Giacomo Puccini"), e.needles());
    assertEquals(new TreeMap<>(Map.of("documents", 2, "gold_position", 2)), e.attributes());
    assertEquals(1, examples.get(1).index());
  }

  @Test
  void malformedLines_failNamingLineAndField() {
    String[][] cases = {
      {"{\"answers\": [\"a\"], \"ctxs\": []}", "line 2: question: must be a string"},
      {"{\"question\": \"q\", \"answers\": \"a\", \"ctxs\": []}", "line 2: answers: must be a non-empty list of strings"},
      {"{\"question\": \"q\", \"answers\": [\"a\", 3], \"ctxs\": []}", "line 2: answers[1]: must be a non-empty string"},
      {"{\"question\": \"q\", \"answers\": [\"a\"], \"ctxs\": []}", "line 2: ctxs: must be a list of 1 to 1000 objects"},
      {"{\"question\": \"q\", \"answers\": [\"a\"], \"ctxs\": [{\"title\": \"t\"}]}", "line 2: ctxs[0].text: must be a string"},
      {"{\"question\": \"q\", \"answers\": [\"a\"], \"ctxs\": [{\"title\": \"t\", \"text\": \"x\", \"isgold\": \"yes\"}]}",
          "line 2: ctxs[0].isgold: must be true or false"},
      {"[1, 2]", "line 2: must be a JSON object"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MdqaJsonlReader.read(new BufferedReader(new StringReader(LINE + "\n" + c[0])), 10));
      assertEquals(c[1], e.getMessage());
    }
    IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
        () -> MdqaJsonlReader.read(new BufferedReader(new StringReader("{\"question\": ")), 10));
    assertEquals("line 1: not JSON: ", notJson.getMessage().substring(0, 18));
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> MdqaJsonlReader.read(new BufferedReader(new StringReader(LINE + "\n" + LINE)), 1));
    assertEquals("line 2: more than the 1 examples allowed", tooMany.getMessage());
  }
}
