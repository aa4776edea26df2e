package io.rhlab.activities.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (BPE, WordPiece, WordLevel or Unigram, with its
 * normalizer, pre-tokenizer and decoder) run by the Rust tokenizers library through DJL, whose jar
 * carries the native library, so nothing is downloaded.
 *
 * <p>{@link #encode} never adds special tokens (the training code places bos and eos itself) and
 * never truncates. Text the vocabulary cannot express becomes the model's unknown token, or bytes
 * with byte fallback, exactly as in Python; it is not an error here.
 *
 * <p>The special ids come from {@code tokenizer_config.json} ({@code bos_token}, {@code
 * eos_token}, {@code pad_token}, looked up in the tokenizer's vocabulary) and, for those it does
 * not name, from {@code config.json} ({@code bos_token_id}, ...; the first of a list) next to it.
 *
 * <p>Holds native memory: close it.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

  /** The tokenizer file of a Hugging Face checkpoint directory. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  /** Its companion naming the special tokens. */
  public static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int bos;
  private final int eos;
  private final int pad;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, int bos, int eos, int pad) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
    this.bos = bos;
    this.eos = eos;
    this.pad = pad;
  }

  /**
   * Loads {@code tokenizer.json} (and the special tokens, see the class comment) from a checkpoint
   * directory.
   *
   * @param directory directory holding tokenizer.json
   * @return the tokenizer; close it
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if tokenizer.json is missing or malformed, or a special token
   *     is not in its vocabulary
   */
  public static HfTokenizer load(Path directory) throws IOException {
    Path file = directory.resolve(TOKENIZER_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(directory + " holds no " + TOKENIZER_FILE);
    }
    Map<String, Integer> ids;
    try {
      ids = tokenIds(JSON.readTree(file.toFile()), file);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
    int vocabSize = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    JsonNode tokenizerConfig = readIfPresent(directory.resolve(TOKENIZER_CONFIG_FILE));
    JsonNode modelConfig = readIfPresent(directory.resolve(LlamaCheckpoint.CONFIG_FILE));
    int bos = specialId(tokenizerConfig, "bos_token", modelConfig, ids);
    int eos = specialId(tokenizerConfig, "eos_token", modelConfig, ids);
    int pad = specialId(tokenizerConfig, "pad_token", modelConfig, ids);
    // the file itself, not the directory: DJL would otherwise apply tokenizer_config.json's
    // model_max_length and padding settings
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (RuntimeException e) { // the Rust parser's error: a malformed file, not a transient one
      throw new IllegalArgumentException(
          file + " is not a tokenizer the tokenizers library reads: " + e.getMessage(), e);
    }
    return new HfTokenizer(tokenizer, vocabSize, bos, eos, pad);
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException(
            "token id must be in [0, " + vocabSize + "), got " + ids[i]);
      }
      wide[i] = ids[i];
    }
    return tokenizer.decode(wide, true);
  }

  /** One more than the largest id of the vocabulary and the added tokens. */
  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int bosId() {
    return bos;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public int padId() {
    return pad;
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }

  /** Token text to id: the model's vocabulary, then the added (special) tokens. */
  private static Map<String, Integer> tokenIds(JsonNode root, Path file) {
    Map<String, Integer> ids = new HashMap<>();
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) { // BPE, WordPiece, WordLevel: {"token": id}
      vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...], the id is the position
      for (int i = 0; i < vocab.size(); i++) {
        ids.put(vocab.get(i).path(0).asText(), i);
      }
    } else {
      throw new IllegalArgumentException(file + ": model.vocab must be an object or an array");
    }
    for (JsonNode added : root.path("added_tokens")) {
      ids.put(added.path("content").asText(), added.path("id").asInt());
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException(file + ": the vocabulary is empty");
    }
    return ids;
  }

  /**
   * The id of a special token named in tokenizer_config.json (a string or {"content": ...}), else
   * config.json's {@code <name>_id}, else -1.
   */
  private static int specialId(
      JsonNode tokenizerConfig, String name, JsonNode modelConfig, Map<String, Integer> ids) {
    JsonNode token = tokenizerConfig.path(name);
    if (token.isObject()) {
      token = token.path("content");
    }
    if (token.isTextual()) {
      Integer id = ids.get(token.asText());
      if (id == null) {
        throw new IllegalArgumentException(
            TOKENIZER_CONFIG_FILE
                + ": "
                + name
                + " \""
                + token.asText()
                + "\" is not in the vocabulary of "
                + TOKENIZER_FILE);
      }
      return id;
    }
    JsonNode id = modelConfig.path(name + "_id");
    if (id.isArray()) {
      id = id.path(0);
    }
    return id.isIntegralNumber() ? id.asInt() : -1;
  }

  private static JsonNode readIfPresent(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
