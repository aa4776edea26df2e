package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fromHfJson_tinyLlamaConfig_readsEveryField() throws IOException {
    JsonNode node =
        JSON.readTree(
            "{\"architectures\":[\"LlamaForCausalLM\"],\"bos_token_id\":1,\"eos_token_id\":2,"
                + "\"hidden_act\":\"silu\",\"hidden_size\":2048,\"initializer_range\":0.02,"
                + "\"intermediate_size\":5632,\"max_position_embeddings\":2048,"
                + "\"model_type\":\"llama\",\"num_attention_heads\":32,\"num_hidden_layers\":22,"
                + "\"num_key_value_heads\":4,\"pretraining_tp\":1,\"rms_norm_eps\":1e-05,"
                + "\"rope_scaling\":null,\"tie_word_embeddings\":false,"
                + "\"torch_dtype\":\"bfloat16\","
                + "\"transformers_version\":\"4.35.0\",\"use_cache\":true,\"vocab_size\":32000}");
    assertEquals(
        new ModelConfig(32000, 2048, 22, 32, 4, 5632, 10000.0, 2048, false, 1e-5),
        ModelConfig.fromHfJson(node));
  }

  @Test
  void fromHfJson_missingOptionalFields_takeLlamaDefaults() throws IOException {
    JsonNode node =
        JSON.readTree(
            "{\"vocab_size\":100,\"hidden_size\":64,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"intermediate_size\":128}");
    assertEquals(
        new ModelConfig(100, 64, 2, 4, 4, 128, 10000.0, 2048, false, 1e-6),
        ModelConfig.fromHfJson(node));
  }

  @Test
  void writeThenRead_roundTrips(@TempDir Path directory) throws IOException {
    ModelConfig config = new ModelConfig(155, 64, 3, 8, 2, 96, 500000.0, 4096, true, 1e-6);
    Path file = directory.resolve("config.json");
    config.writeHfConfig(file);
    assertEquals(config, ModelConfig.readHfConfig(file));
    assertEquals(ModelConfig.tiny(512), ModelConfig.fromHfJson(ModelConfig.tiny(512).toHfJson()));
  }

  @Test
  void constructor_kvHeadsNotDividingHeads_namesBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ModelConfig(10, 48, 1, 6, 4, 32, 10000, 16, false, 1e-5));
    assertEquals("kvHeads must divide heads, got kvHeads=4, heads=6", e.getMessage());
  }

  @Test
  void constructor_nonPositiveField_namesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ModelConfig(10, 32, 0, 4, 4, 32, 10000, 16, false, 1e-5));
    assertEquals("layers must be >= 1, got 0", e.getMessage());
  }

  @Test
  void fromHfJson_ropeScaling_isRejected() {
    ObjectNode node = ModelConfig.tiny(64).toHfJson();
    node.putObject("rope_scaling").put("rope_type", "llama3");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(node));
    assertEquals(
        "rope_scaling is not supported (must be absent or null), got {\"rope_type\":\"llama3\"}",
        e.getMessage());
  }

  @Test
  void fromHfJson_missingRequiredField_namesIt() {
    ObjectNode node = ModelConfig.tiny(64).toHfJson();
    node.remove("intermediate_size");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(node));
    assertEquals("intermediate_size is required in config.json", e.getMessage());
  }
}
