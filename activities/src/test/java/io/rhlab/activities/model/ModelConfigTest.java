package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        "rope_scaling is not supported unless absent, null or of rope_type \"default\", got"
            + " {\"rope_type\":\"llama3\"}",
        e.getMessage());
  }

  @Test
  void fromHfJson_transformers5RopeParameters_givesTheta() throws IOException {
    // what transformers 5.x save_pretrained writes: no top-level rope_theta
    JsonNode node =
        JSON.readTree(
            "{\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":64,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":128,"
                + "\"rope_parameters\":{\"rope_theta\":500000.0,\"rope_type\":\"default\"}}");
    assertEquals(500000.0, ModelConfig.fromHfJson(node).ropeTheta());
  }

  @Test
  void fromHfJson_transformers5Llama3RopeParameters_isRejected() {
    ObjectNode node = ModelConfig.tiny(64).toHfJson();
    node.remove("rope_scaling");
    node.putObject("rope_parameters").put("rope_type", "llama3").put("factor", 8.0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(node));
    assertEquals(
        "rope_parameters is not supported unless absent, null or of rope_type \"default\", got"
            + " {\"rope_type\":\"llama3\",\"factor\":8.0}",
        e.getMessage());
  }

  @Test
  void fromHfJson_qwen2Config_hasAttentionBiasAndQwenDefaults() throws IOException {
    // Qwen2-0.5B's config.json (sliding_window present but use_sliding_window false)
    JsonNode node =
        JSON.readTree(
            "{\"architectures\":[\"Qwen2ForCausalLM\"],\"attention_dropout\":0.0,"
                + "\"bos_token_id\":151643,\"eos_token_id\":151643,\"hidden_act\":\"silu\","
                + "\"hidden_size\":896,\"initializer_range\":0.02,\"intermediate_size\":4864,"
                + "\"max_position_embeddings\":131072,\"max_window_layers\":24,"
                + "\"model_type\":\"qwen2\",\"num_attention_heads\":14,"
                + "\"num_hidden_layers\":24,\"num_key_value_heads\":2,\"rms_norm_eps\":1e-06,"
                + "\"rope_theta\":1000000.0,\"sliding_window\":131072,"
                + "\"tie_word_embeddings\":true,\"torch_dtype\":\"bfloat16\","
                + "\"use_cache\":true,\"use_sliding_window\":false,\"vocab_size\":151936}");
    assertEquals(
        new ModelConfig(151936, 896, 24, 14, 2, 4864, 1000000.0, 131072, true, 1e-6, true),
        ModelConfig.fromHfJson(node));
    ObjectNode minimal = JSON.createObjectNode();
    minimal.put("model_type", "qwen2").put("vocab_size", 100).put("hidden_size", 64);
    minimal.put("num_hidden_layers", 1).put("num_attention_heads", 4);
    minimal.put("intermediate_size", 96);
    assertEquals(
        new ModelConfig(100, 64, 1, 4, 4, 96, 10000.0, 32768, false, 1e-6, true),
        ModelConfig.fromHfJson(minimal));
  }

  @Test
  void writeThenRead_qwen2Style_roundTripsAsQwen2() throws IOException {
    ModelConfig config = new ModelConfig(155, 64, 3, 8, 2, 96, 1000000.0, 4096, true, 1e-6, true);
    ObjectNode node = config.toHfJson();
    assertEquals("qwen2", node.get("model_type").asText());
    assertEquals("Qwen2ForCausalLM", node.get("architectures").get(0).asText());
    assertEquals(config, ModelConfig.fromHfJson(node));
  }

  @Test
  void fromHfJson_mistralSlidingWindowShorterThanPositions_isRejected() {
    ObjectNode node = ModelConfig.tiny(64).toHfJson();
    node.put("model_type", "mistral").put("sliding_window", 4096);
    node.put("max_position_embeddings", 32768);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(node));
    assertEquals(
        "sliding_window=4096 is smaller than max_position_embeddings=32768: sliding-window"
            + " attention is not implemented (set max_position_embeddings to at most 4096 to use"
            + " the model within its window)",
        e.getMessage());
    node.put("max_position_embeddings", 4096); // within the window it is full attention
    assertEquals(4096, ModelConfig.fromHfJson(node).maxLen());
  }

  @Test
  void fromHfJson_qwen2WithSlidingWindowInUse_isRejected() {
    ObjectNode node = new ModelConfig(64, 32, 1, 4, 4, 48, 1e4, 1024, true, 1e-6, true).toHfJson();
    node.put("use_sliding_window", true).put("sliding_window", 256);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(node));
    assertTrue(e.getMessage().startsWith("sliding_window=256 is smaller than"), e.getMessage());
  }

  @Test
  void fromHfJson_otherModelTypeOrLlamaAttentionBias_isRejected() {
    ObjectNode gemma = ModelConfig.tiny(64).toHfJson();
    gemma.put("model_type", "gemma");
    assertEquals(
        "model_type must be one of [llama, mistral, qwen2], got \"gemma\"",
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(gemma))
            .getMessage());
    ObjectNode biased = ModelConfig.tiny(64).toHfJson();
    biased.put("attention_bias", true); // Llama's flag biases o_proj too
    assertEquals(
        "attention_bias is not supported (must be absent or false), got true",
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(biased))
            .getMessage());
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
