package io.rhlab.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private static List<String> errorPaths(String spec) throws Exception {
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> ExperimentSpec.parse(json(spec)));
    return e.errors().stream().map(SpecError::path).toList();
  }

  @Test
  void parse_fillsDefaults() throws Exception {
    ExperimentSpec s = ExperimentSpec.parse(json("{'name':'demo','seed':7,'variants':[{'name':'kv'}]}"));
    KvRetrievalData d = s.variants().get(0).kvData();
    assertEquals(new KvRetrievalData(350, 85, 3, 3, 4, 3, 4, true, 7, 1000), d);
    assertEquals("kv-retrieval", s.variants().get(0).task());
    assertEquals(2, s.maxParallelVariants());
  }

  @Test
  void parse_listsEveryBadFieldWithItsPath() throws Exception {
    List<String> paths =
        errorPaths(
            "{'name':'Bad Name','colour':1,'maxParallelVariants':0,'variants':["
                + "{'name':'a','data':{'dictionaries':0,'digits':3,'answerTemplate':'yes'}},"
                + "{'name':'a','task':'essay'},"
                + "{'data':{'minKeys':5,'maxKeys':4}}]}");
    assertEquals(
        List.of(
            "name",
            "maxParallelVariants",
            "variants[0].data.dictionaries",
            "variants[0].data.answerTemplate",
            "variants[0].data.digits",
            "variants[1].task",
            "variants[2].name",
            "variants[2].data.minKeys",
            "variants[1].name",
            "colour"),
        paths);
  }

  @Test
  void parse_messageNamesFieldValueAndRule() throws Exception {
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () -> ExperimentSpec.parse(json("{'name':'x','variants':[{'name':'v','data':{'examples':-5}}]}")));
    assertEquals(
        "invalid experiment spec (1 error):\n"
            + "  - variants[0].data.examples = -5: must be an integer in [1, 1000000]",
        e.getMessage());
  }

  @Test
  void parse_rejectsNonObjectsAndHugeValues() throws Exception {
    assertEquals(List.of("spec"), errorPaths("[1,2]"));
    assertEquals(List.of("spec"), errorPaths("'just text'"));
    String huge = "x".repeat(1_000_000);
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> ExperimentSpec.parse(json("{'name':'" + huge + "','variants':[]}")));
    assertTrue(e.getMessage().length() < 400, "a hostile value is not echoed whole");
    assertEquals(List.of("name", "variants"), e.errors().stream().map(SpecError::path).toList());
  }

  @Test
  void parse_rejectsSizesThatWouldExhaustMemoryOrDisk() throws Exception {
    assertEquals(
        List.of("variants[0].data.examplesPerChunk", "variants[0].data.examples"),
        errorPaths(
            "{'name':'x','variants':[{'name':'v','data':{'examples':1000000,'dictionaries':2000,"
                + "'maxDigits':9,'examplesPerChunk':100000,'goldKeys':16,'maxKeys':16}}]}"));
    assertEquals(
        List.of("variants[0].data.maxDigits"),
        errorPaths("{'name':'x','variants':[{'name':'v','data':{'minDigits':1,'maxDigits':1}}]}"));
  }

  @Test
  void canonicalJson_isStableAndHashable() throws Exception {
    ExperimentSpec a = ExperimentSpec.parse(json("{'name':'d','variants':[{'name':'kv','data':{'examples':5}}]}"));
    ExperimentSpec b = ExperimentSpec.parse(json("{'variants':[{'data':{'examples':5},'name':'kv'}],'name':'d'}"));
    assertEquals(a.toCanonicalJson(), b.toCanonicalJson());
    assertEquals(64, ExperimentSpec.sha256(a.toCanonicalJson()).length());
    // the canonical form parses back to the same spec
    assertEquals(a, ExperimentSpec.parse(json(a.toCanonicalJson())));
  }

  @Test
  void canonicalJson_withModelSections_parsesBack() throws Exception {
    // the canonical form writes null for the other source's fields; `rhlab recover` re-submits it
    for (String model : List.of(
        "{'architecture':{'dModel':32,'heads':4,'layers':2},'pretrain':{'steps':10},'curriculum':{'data':{'dictionaries':2}}}",
        "{'source':'import','importUri':'s3://bucket/models/tiny/'}")) {
      ExperimentSpec a = ExperimentSpec.parse(json("{'name':'d','model':" + model + ",'variants':[{'name':'kv','train':{'steps':5}},{'name':'data'}]}"));
      assertEquals(a, ExperimentSpec.parse(json(a.toCanonicalJson())));
    }
  }

  @Test
  void model_recencyPriorAndKeyedSteps_areReadAndChecked() throws Exception {
    ExperimentSpec s = ExperimentSpec.parse(json(
        "{'name':'t','model':{'architecture':{'attentionBias':true,'recencyPrior':3},"
            + "'pretrain':{'steps':100},'curriculum':{'keyedSteps':60}},'variants':[{'name':'kv'}]}"));
    assertTrue(s.model().architecture().attentionBias());
    assertEquals(3.0, s.model().architecture().recencyPrior());
    assertEquals(60, s.model().curriculum().keyedSteps());
    assertEquals(List.of("model.architecture.recencyPrior"),
        errorPaths("{'name':'t','model':{'architecture':{'recencyPrior':3}},'variants':[{'name':'kv'}]}"));
    assertEquals(List.of("model.curriculum.keyedSteps"),
        errorPaths("{'name':'t','model':{'pretrain':{'steps':100},'curriculum':{'keyedSteps':101}},'variants':[{'name':'kv'}]}"));
  }

  @Test
  void model_otherSourcesFields_areRejected() throws Exception {
    assertEquals(List.of("model.importUri"),
        errorPaths("{'name':'t','model':{'importUri':'s3://bucket/models/tiny/'},'variants':[{'name':'kv'}]}"));
    assertEquals(List.of("model.architecture"),
        errorPaths("{'name':'t','model':{'source':'import','importUri':'s3://bucket/models/tiny/','architecture':{}},'variants':[{'name':'kv'}]}"));
  }

  @Test
  void sha256_matchesKnownVector() {
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ExperimentSpec.sha256("abc"));
  }

  @Test
  void parse_modelAndTrainSections() throws Exception {
    ExperimentSpec s =
        ExperimentSpec.parse(json("{'name':'t','model':{'architecture':{'dModel':64,'heads':4,'layers':2}},"
            + "'variants':[{'name':'kv','train':{'steps':30,'learningRate':0.002}},{'name':'data-only'}]}"));
    assertEquals(ModelSpec.PRETRAIN, s.model().source());
    assertEquals(new ModelSpec.Architecture(64, 2, 4, 4, 256, 10_000, 1024, true), s.model().architecture());
    assertEquals(ModelSpec.PRETRAIN_DEFAULTS, s.model().pretrain());
    assertEquals(30, s.variants().get(0).train().steps());
    assertEquals(0.002, s.variants().get(0).train().learningRate());
    assertEquals(VariantSpec.FINETUNE_DEFAULTS.batchSize(), s.variants().get(0).train().batchSize());
    assertEquals(null, s.variants().get(1).train());
  }

  @Test
  void parse_modelAndTrainErrorsNameTheirFields() throws Exception {
    assertEquals(List.of("model"), errorPaths("{'name':'t','variants':[{'name':'kv','train':{}}]}"));
    assertEquals(
        List.of("model.architecture.heads", "model.architecture.kvHeads", "variants[0].train.learningRate",
            "variants[0].train.warmupSteps"),
        errorPaths("{'name':'t','model':{'architecture':{'dModel':100,'heads':8,'kvHeads':3}},"
            + "'variants':[{'name':'kv','train':{'steps':10,'warmupSteps':20,'learningRate':'fast'}}]}"));
    assertEquals(
        List.of("model.importUri"),
        errorPaths("{'name':'t','model':{'source':'import','importUri':'s3://bucket/../etc'},'variants':[{'name':'kv'}]}"));
    assertEquals(
        List.of("model.architecture.layers"),
        errorPaths("{'name':'t','model':{'architecture':{'dModel':16384,'layers':256,'dFf':65536,'heads':128}},'variants':[{'name':'kv'}]}"));
  }
}
