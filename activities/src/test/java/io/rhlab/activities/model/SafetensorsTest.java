package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  private static NDManager manager;

  @TempDir Path directory;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void writeThenRead_f32_isBitwiseIdentical() throws IOException {
    float[] special = {
      0f,
      -0f,
      1.5f,
      -3.25e-7f,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      0.1f,
      123456.79f,
      -1f,
      7f
    };
    Random random = new Random(1);
    float[] noise = new float[5 * 7];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) random.nextGaussian();
    }
    Path file = directory.resolve("round.safetensors");
    try (NDManager scope = manager.newSubManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      tensors.put("special", NativeArrays.floats(scope, special, new Shape(3, 4)));
      tensors.put("noise", NativeArrays.floats(scope, noise, new Shape(5, 7)));
      SafetensorsWriter.write(file, tensors, SafetensorsDType.F32, Map.of("format", "pt"));
      try (SafetensorsFile read = SafetensorsFile.open(file)) {
        assertEquals(List.of("special", "noise"), read.names());
        assertEquals(Map.of("format", "pt"), read.metadata());
        assertArrayEquals(new long[] {3, 4}, read.info("special").shape());
        assertArrayEquals(bits(special), bits(read.floats("special")));
        assertArrayEquals(bits(noise), bits(read.toNDArray("noise", scope).toFloatArray()));
        ByteBuffer raw = read.bytes("special");
        for (int i = 0; i < special.length; i++) {
          assertEquals(Float.floatToRawIntBits(special[i]), raw.getInt(i * 4));
        }
      }
    }
    assertFalse(Files.exists(directory.resolve("round.safetensors.partial")));
    long headerLength =
        ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to 8 bytes");
  }

  @Test
  void writeBf16_roundsToNearestEven() throws IOException {
    float[] values = {1f, 3f, -0.5f, 1.00390625f, 1.01171875f, Float.NEGATIVE_INFINITY};
    float[] expected = {1f, 3f, -0.5f, 1f, 1.015625f, Float.NEGATIVE_INFINITY};
    Path file = directory.resolve("half.safetensors");
    try (NDManager scope = manager.newSubManager()) {
      SafetensorsWriter.write(
          file,
          Map.of("w", NativeArrays.floats(scope, values, new Shape(values.length))),
          SafetensorsDType.BF16,
          Map.of());
      try (SafetensorsFile read = SafetensorsFile.open(file)) {
        assertEquals(SafetensorsDType.BF16, read.info("w").dtype());
        assertArrayEquals(expected, read.floats("w"));
        assertArrayEquals(expected, read.toNDArray("w", scope).toFloatArray());
      }
    }
  }

  /**
   * A checkpoint written without any of the platform's code: header JSON as a string, data with
   * plain ByteBuffers, data order different from header order, one BF16 and one F16 tensor.
   */
  @Test
  void load_checkpointFromIndependentWriter_withBf16AndF16() throws IOException {
    ModelConfig config = TestModels.multiHead(); // untied: lm_head present
    Map<String, Shape> shapes = LlamaWeightLayout.shapes(config);
    Random random = new Random(4);
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> entry : shapes.entrySet()) {
      float[] v = new float[(int) entry.getValue().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (random.nextInt(129) - 64) / 256f; // k/256: exact in bf16 and f16
      }
      values.put(entry.getKey(), v);
    }
    String embed = "model.embed_tokens.weight"; // stored as BF16
    String norm = "model.layers.1.post_attention_layernorm.weight"; // stored as F16
    short[] halfBits = {0x3C00, 0x3800, (short) 0xC000, 0x0001, 0x3555, 0x7BFF, (short) 0x8000};
    float[] halfValues = {1f, 0.5f, -2f, 0x1p-24f, 0.333251953125f, 65504f, -0f};
    float[] normValues = new float[config.dModel()];
    for (int i = 0; i < normValues.length; i++) {
      normValues[i] = halfValues[i % halfValues.length];
    }
    values.put(norm, normValues);

    List<String> dataOrder = new ArrayList<>(shapes.keySet());
    java.util.Collections.reverse(dataOrder);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    for (String name : dataOrder) {
      float[] v = values.get(name);
      String dtype = name.equals(embed) ? "BF16" : name.equals(norm) ? "F16" : "F32";
      int width = dtype.equals("F32") ? 4 : 2;
      ByteBuffer bytes = ByteBuffer.allocate(v.length * width).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < v.length; i++) {
        switch (dtype) {
          case "BF16" -> bytes.putShort((short) (Float.floatToRawIntBits(v[i]) >>> 16));
          case "F16" -> bytes.putShort(halfBits[i % halfBits.length]);
          default -> bytes.putFloat(v[i]);
        }
      }
      long begin = data.size();
      data.write(bytes.array());
      long[] dims = shapes.get(name).getShape();
      header
          .append(",\"")
          .append(name)
          .append("\":{\"dtype\":\"")
          .append(dtype)
          .append("\",\"shape\":")
          .append(java.util.Arrays.toString(dims).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(begin)
          .append(',')
          .append(data.size())
          .append("]}");
    }
    header.append('}');
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer length =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
    Path checkpoint = Files.createDirectories(directory.resolve("hf"));
    try (var out = Files.newOutputStream(checkpoint.resolve("model.safetensors"))) {
      out.write(length.array());
      out.write(headerBytes);
      out.write(data.toByteArray());
    }
    Files.writeString(
        checkpoint.resolve("config.json"),
        "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\",\"vocab_size\":40,"
            + "\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
            + "\"num_key_value_heads\":4,\"intermediate_size\":48,\"rope_theta\":10000.0,"
            + "\"max_position_embeddings\":64,\"tie_word_embeddings\":false,"
            + "\"rms_norm_eps\":1e-05,\"hidden_act\":\"silu\",\"torch_dtype\":\"bfloat16\"}");

    try (LlamaModel model = LlamaCheckpoint.load(checkpoint, manager);
        NDManager scope = manager.newSubManager()) {
      assertEquals(config, model.config());
      assertArrayEquals(values.get(embed), model.parameter(embed).toFloatArray());
      assertArrayEquals(bits(normValues), bits(model.parameter(norm).toFloatArray()));
      String q = "model.layers.0.self_attn.q_proj.weight";
      assertArrayEquals(values.get(q), model.parameter(q).toFloatArray());
      NDArray logits =
          model.forward(LlamaModel.tokenArray(scope, new int[][] {{1, 2, 3, 4}})).logits();
      assertEquals(new Shape(1, 4, 40), logits.getShape());
      for (float logit : logits.toFloatArray()) {
        assertTrue(Float.isFinite(logit));
      }
    }
  }

  @Test
  void saveThenLoad_reproducesParametersAndLogits() throws IOException {
    ModelConfig config = TestModels.groupedQuery(); // tied: no lm_head in the file
    Path checkpoint = directory.resolve("export");
    try (LlamaModel model = LlamaModel.initialize(config, 9, manager);
        NDManager scope = manager.newSubManager()) {
      LlamaCheckpoint.save(model, checkpoint);
      NDArray ids = LlamaModel.tokenArray(scope, new int[][] {{5, 6, 7, 8, 9}});
      float[] before = model.forward(ids).logits().toFloatArray();
      try (SafetensorsFile file = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
        assertFalse(file.contains("lm_head.weight"));
        assertEquals(Map.of("format", "pt"), file.metadata());
      }
      String json = Files.readString(checkpoint.resolve("config.json"));
      assertTrue(json.contains("\"model_type\" : \"llama\""), json);
      assertTrue(json.contains("\"tie_word_embeddings\" : true"), json);
      try (LlamaModel loaded = LlamaCheckpoint.load(checkpoint, manager)) {
        assertEquals(config, loaded.config());
        for (NamedParameter p : model.parameters()) {
          assertArrayEquals(
              bits(p.array().toFloatArray()),
              bits(loaded.parameter(p.name()).toFloatArray()),
              p.name());
        }
        assertArrayEquals(bits(before), bits(loaded.forward(ids).logits().toFloatArray()));
      }
    }
  }

  @Test
  void saveBf16_qwen2Style_keepsBiasesAndNamesTheDtype() throws IOException {
    ModelConfig config = TestModels.qwen2Style();
    Path checkpoint = directory.resolve("qwen2-bf16");
    Map<String, float[]> weights = ReferenceLlama.randomWeights(config, 31, 0.2);
    try (LlamaModel model = TestModels.model(config, weights, manager)) {
      LlamaCheckpoint.save(model, checkpoint, SafetensorsDType.BF16);
    }
    JsonNode json = new ObjectMapper().readTree(checkpoint.resolve("config.json").toFile());
    // transformers 5 loads the weights as torch_dtype by default
    assertEquals("bfloat16", json.get("torch_dtype").asText());
    assertEquals("qwen2", json.get("model_type").asText());
    try (LlamaModel loaded = LlamaCheckpoint.load(checkpoint, manager)) {
      assertEquals(config, loaded.config());
      String name = "model.layers.1.self_attn.v_proj.bias";
      float[] original = weights.get(name);
      float[] stored = loaded.parameter(name).toFloatArray();
      for (int i = 0; i < original.length; i++) {
        assertEquals(0, Float.floatToRawIntBits(stored[i]) & 0xFFFF, "bf16 keeps 16 bits");
        assertEquals(original[i], stored[i], Math.abs(original[i]) / 256, name + "[" + i + "]");
      }
    }
  }

  @Test
  void load_withUnsupportedTensor_namesIt() throws IOException {
    ModelConfig config = TestModels.groupedQuery();
    Path checkpoint = directory.resolve("biased");
    try (LlamaModel model = LlamaModel.initialize(config, 9, manager);
        NDManager scope = manager.newSubManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      model.parameters().forEach(p -> tensors.put(p.name(), p.array()));
      tensors.put(
          "model.layers.0.self_attn.q_proj.bias",
          NativeArrays.floats(scope, new float[32], new Shape(32)));
      Files.createDirectories(checkpoint);
      SafetensorsWriter.write(
          checkpoint.resolve("model.safetensors"), tensors, SafetensorsDType.F32, Map.of());
      config.writeHfConfig(checkpoint.resolve("config.json"));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LlamaCheckpoint.load(checkpoint, manager));
    assertTrue(
        e.getMessage().endsWith("missing [], unsupported [model.layers.0.self_attn.q_proj.bias]"),
        e.getMessage());
  }

  @Test
  void open_withOffsetsNotMatchingShape_namesTheTensor() throws IOException {
    byte[] header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}"
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(header.length).put(header);
    Path path = directory.resolve("bad.safetensors");
    Files.write(path, file.array());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(path));
    assertEquals("w: data_offsets span 12 bytes but shape and dtype need 16", e.getMessage());
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
