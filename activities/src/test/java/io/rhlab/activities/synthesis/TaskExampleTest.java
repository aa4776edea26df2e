package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TaskExampleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonLine_hasFixedFieldOrderAndRoundTrips() throws Exception {
    TaskExample e = new TaskExample("niah", 3, "p", " 1", List.of("1"), List.of("1"),
        new TreeMap<>(Map.of("depth_percent", 50, "context_length", 128L, "haystack", "text")));
    String line = JSON.writeValueAsString(e);
    assertEquals("{\"task\":\"niah\",\"index\":3,\"prompt\":\"p\",\"answer\":\" 1\",\"answers\":[\"1\"],\"needles\":[\"1\"],"
        + "\"attributes\":{\"context_length\":128,\"depth_percent\":50,\"haystack\":\"text\"}}", line);
    assertEquals(e, JSON.readValue(line, TaskExample.class));
    assertThrows(IllegalArgumentException.class,
        () -> new TaskExample("t", 0, "p", "a", List.of(), List.of(), new TreeMap<>(Map.of("x", 1.5))));
  }

  @Test
  void kvExample_asTaskExample_needleIsTheGoldEntryOnceInThePrompt() {
    KvRetrievalGenerator g = new KvRetrievalGenerator(new KvRetrievalData(200, 8, 3, 3, 4, 3, 4, true, 21, 200));
    for (int i = 0; i < 200; i++) {
      KvExample kv = g.example(i);
      TaskExample e = kv.asTaskExample();
      assertEquals(kv.prompt(), e.prompt());
      assertEquals(kv.answer(), e.answer());
      assertEquals(List.of(String.valueOf(kv.goldValue())), e.answers());
      assertEquals(List.of(kv.goldKey() + ": " + kv.goldValue()), e.needles());
      assertEquals(1, GeneratorChecks.occurrences(e.prompt(), e.needles().get(0)), "example " + i);
      assertEquals(kv.goldDictionary(), e.attributes().get("gold_dictionary"));
    }
  }
}
