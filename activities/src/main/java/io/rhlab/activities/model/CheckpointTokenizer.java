package io.rhlab.activities.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokenizer of a checkpoint, recorded in the checkpoint directory itself: whatever loads the
 * checkpoint (fine-tuning, evaluation, a later import of an export) then uses the tokenizer the
 * model was made with, and the checkpoint manifest's hash covers that choice.
 *
 * <ul>
 *   <li>{@code tokenizer.json} (with {@code tokenizer_config.json} and {@code
 *       special_tokens_map.json} when present): a Hugging Face tokenizer, {@link HfTokenizer};
 *   <li>{@code synthetic_tokenizer.json}: the {@link SyntheticTokenizer} with the word list it
 *       names (what models pre-trained from scratch use);
 *   <li>neither: a checkpoint written by rhlab before tokenizers were recorded; those all used
 *       {@link SyntheticTokenizer#withTemplateWords()}.
 * </ul>
 *
 * If both files are present, tokenizer.json wins.
 */
public final class CheckpointTokenizer {

  /** The file naming a synthetic tokenizer and its words. */
  public static final String SYNTHETIC_FILE = "synthetic_tokenizer.json";

  /** Hugging Face's tokenizer files, copied along with a checkpoint when present. */
  public static final List<String> HF_FILES =
      List.of(
          HfTokenizer.TOKENIZER_FILE, HfTokenizer.TOKENIZER_CONFIG_FILE, "special_tokens_map.json");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckpointTokenizer() {}

  /**
   * The tokenizer recorded in a checkpoint directory, if any.
   *
   * @param directory a checkpoint directory
   * @return the tokenizer (close it), or empty if the directory records none
   * @throws IOException if a tokenizer file cannot be read
   * @throws IllegalArgumentException naming the file and field, if a tokenizer file is malformed
   */
  public static Optional<TextTokenizer> recorded(Path directory) throws IOException {
    if (Files.isRegularFile(directory.resolve(HfTokenizer.TOKENIZER_FILE))) {
      return Optional.of(HfTokenizer.load(directory));
    }
    Path synthetic = directory.resolve(SYNTHETIC_FILE);
    if (!Files.isRegularFile(synthetic)) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(synthetic.toFile());
    JsonNode words = node.path("words");
    if (!"synthetic".equals(node.path("type").asText()) || !words.isArray()) {
      throw new IllegalArgumentException(
          SYNTHETIC_FILE + " must be {\"type\": \"synthetic\", \"words\": [...]}, got " + node);
    }
    List<String> list = new ArrayList<>();
    words.forEach(word -> list.add(word.asText()));
    return Optional.of(new SyntheticTokenizer(list));
  }

  /**
   * The tokenizer of a checkpoint directory: the recorded one, else (an unrecorded rhlab
   * checkpoint) {@link SyntheticTokenizer#withTemplateWords()}.
   *
   * @param directory a checkpoint directory
   * @return the tokenizer; close it
   * @throws IOException if a tokenizer file cannot be read
   */
  public static TextTokenizer open(Path directory) throws IOException {
    return recorded(directory).orElseGet(SyntheticTokenizer::withTemplateWords);
  }

  /**
   * Records a synthetic tokenizer in a checkpoint directory.
   *
   * @param tokenizer the tokenizer
   * @param directory the checkpoint directory, created if needed
   * @throws IOException if writing fails
   */
  public static void writeSynthetic(SyntheticTokenizer tokenizer, Path directory)
      throws IOException {
    Files.createDirectories(directory);
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "synthetic");
    tokenizer.words().forEach(node.putArray("words")::add);
    Files.writeString(directory.resolve(SYNTHETIC_FILE), JSON.writeValueAsString(node) + "\n");
  }

  /**
   * Copies the tokenizer files of one checkpoint directory into another (a fine-tuned model keeps
   * its base model's tokenizer); an unrecorded source is recorded as the template-word synthetic
   * tokenizer it used.
   *
   * @param from the source checkpoint directory
   * @param to the destination directory, created if needed
   * @throws IOException if copying fails
   */
  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    boolean any = false;
    for (String name : concat(HF_FILES, SYNTHETIC_FILE)) {
      Path source = from.resolve(name);
      if (Files.isRegularFile(source)) {
        Files.copy(source, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        any = true;
      }
    }
    if (!any) {
      writeSynthetic(SyntheticTokenizer.withTemplateWords(), to);
    }
  }

  /**
   * Checks that every id of a tokenizer is a row of the model's embedding (models often have more
   * rows than the tokenizer has ids; never fewer).
   *
   * @param tokenizer the tokenizer
   * @param config the model's configuration
   * @throws IllegalArgumentException naming both sizes, if the tokenizer has more ids
   */
  public static void requireFits(TextTokenizer tokenizer, ModelConfig config) {
    if (tokenizer.vocabSize() > config.vocabSize()) {
      throw new IllegalArgumentException(
          "the tokenizer has "
              + tokenizer.vocabSize()
              + " ids but the model's vocab_size is "
              + config.vocabSize()
              + " (must be at least the tokenizer's)");
    }
  }

  private static List<String> concat(List<String> names, String name) {
    List<String> all = new ArrayList<>(names);
    all.add(name);
    return all;
  }
}
