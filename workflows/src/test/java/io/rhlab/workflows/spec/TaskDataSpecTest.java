package io.rhlab.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rhlab.workflows.StageKeys;
import io.rhlab.workflows.activities.SynthesisRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskDataSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TaskData data(String variant) throws Exception {
    JsonNode spec = JSON.readTree(("{'name':'x','seed':5,'variants':[" + variant + "]}").replace('\'', '"'));
    return ExperimentSpec.parse(spec).variants().get(0).data();
  }

  @Test
  void eachTask_readsItsOwnRecordWithDefaults() throws Exception {
    assertEquals(new NeedleData(100, "single", 1, "text", List.of(256), List.of(0, 25, 50, 75, 100), 5, 1000),
        data("{'name':'n','task':'niah'}"));
    assertEquals(new NeedleData(100, "multi-key", 4, "noise", List.of(256, 512), List.of(50), 5, 1000),
        data("{'name':'n','task':'niah','data':{'kind':'multi-key','haystack':'noise','contextLengths':[256,512],'depths':[50]}}"));
    assertEquals(new QuadrantData(350, "symbolic", "repetitive", 256, 9, 1000),
        data("{'name':'q','task':'needle-quadrant','data':{'realism':'symbolic','diversity':'repetitive','seed':9}}"));
    assertEquals(new MdqaData(350, 20, List.of(1, 5, 10, 15, 20), 2, 100, 5, 1000),
        data("{'name':'m','task':'mdqa','data':{'hops':2}}"));
    assertEquals(new MultiSubkeyKvData(350, 40, 3, 3, 4, 3, 2, 3, 4, true, 5, 1000),
        data("{'name':'m','task':'kv-multisubkey'}"));
  }

  @Test
  void keyValueData_canonicalJsonAndStageKeyUnchanged() {
    KvRetrievalData kv = new KvRetrievalData(350, 85, 3, 3, 4, 3, 4, true, 7, 1000);
    String canonical = "{\"examples\":350,\"dictionaries\":85,\"goldKeys\":3,\"minKeys\":3,\"maxKeys\":4,"
        + "\"minDigits\":3,\"maxDigits\":4,\"answerTemplate\":true,\"seed\":7,\"examplesPerChunk\":1000}";
    assertEquals(canonical, ExperimentSpec.canonicalJson(kv));
    assertEquals(ExperimentSpec.sha256("synthesize|" + StageKeys.SYNTHESIS_VERSION + "|" + canonical),
        StageKeys.of("synthesize", StageKeys.SYNTHESIS_VERSION, kv));
  }

  @Test
  void synthesisRequest_roundTripsEveryTaskThroughTemporalsConverter() {
    var converter = DefaultDataConverter.STANDARD_INSTANCE;
    for (TaskData d : List.of(
        new KvRetrievalData(1, 2, 2, 2, 2, 2, 2, false, 1, 1),
        new NeedleData(3, "multi-value", 4, "noise", List.of(128), List.of(0, 100), 2, 1),
        new QuadrantData(3, "fact", "varied", 200, 3, 2),
        new MdqaData(3, 5, List.of(1, 5), 2, 40, 4, 2),
        new MultiSubkeyKvData(1, 2, 2, 2, 2, 3, 1, 3, 3, true, 1, 1))) {
      SynthesisRequest r = new SynthesisRequest("e", "v", "k", d);
      var payload = converter.toPayload(r).orElseThrow();
      assertEquals(r, converter.fromPayload(payload, SynthesisRequest.class, SynthesisRequest.class));
    }
  }

  @Test
  void variantSpec_roundTripsThroughTemporalsConverter_withCanonicalJsonUnchanged() throws Exception {
    var converter = DefaultDataConverter.STANDARD_INSTANCE;
    for (VariantSpec v : List.of(
        new VariantSpec("n", NeedleData.TASK, new NeedleData(3, "single", 1, "text", List.of(128), List.of(0), 2, 1), null),
        new VariantSpec("k", KvRetrievalData.TASK, new KvRetrievalData(1, 2, 2, 2, 2, 2, 2, false, 1, 1), null))) {
      var payload = converter.toPayload(v).orElseThrow();
      assertEquals(v, converter.fromPayload(payload, VariantSpec.class, VariantSpec.class));
    }
    assertEquals("{\"name\":\"k\",\"task\":\"kv-retrieval\",\"data\":{\"examples\":1,\"dictionaries\":2,"
        + "\"goldKeys\":2,\"minKeys\":2,\"maxKeys\":2,\"minDigits\":2,\"maxDigits\":2,\"answerTemplate\":false,"
        + "\"seed\":1,\"examplesPerChunk\":1},\"train\":null}",
        ExperimentSpec.canonicalJson(new VariantSpec("k", KvRetrievalData.TASK, new KvRetrievalData(1, 2, 2, 2, 2, 2, 2, false, 1, 1), null)));
  }

  @Test
  void synthesisRequest_withoutTaskProperty_readsAsKeyValue() throws Exception {
    // what histories recorded before other tasks existed hold
    String old = "{\"experimentId\":\"e\",\"variant\":\"v\",\"stageKey\":\"k\",\"data\":{\"examples\":1,"
        + "\"dictionaries\":2,\"goldKeys\":2,\"minKeys\":2,\"maxKeys\":2,\"minDigits\":2,\"maxDigits\":2,"
        + "\"answerTemplate\":false,\"seed\":1,\"examplesPerChunk\":1}}";
    assertEquals(new SynthesisRequest("e", "v", "k", new KvRetrievalData(1, 2, 2, 2, 2, 2, 2, false, 1, 1)),
        JSON.readValue(old, SynthesisRequest.class));
  }

  @Test
  void kvData_ofAnotherTask_namesTheTask() throws Exception {
    ExperimentSpec s = ExperimentSpec.parse(JSON.readTree("{\"name\":\"x\",\"variants\":[{\"name\":\"n\",\"task\":\"niah\"}]}"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.variants().get(0).kvData());
    assertEquals("variant n has task niah, not kv-retrieval", e.getMessage());
  }
}
