package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTokenizerTest {

  @Test
  void writeSynthetic_thenRecorded_givesTheSameIds(@TempDir Path dir) throws IOException {
    CheckpointTokenizer.writeSynthetic(new SyntheticTokenizer(List.of("Dictionary", "key")), dir);
    try (TextTokenizer tokenizer = CheckpointTokenizer.recorded(dir).orElseThrow()) {
      // 3 specials, newline, tab, then ASCII 32..126 (ids 5..99), then the words: 100, 101;
      // ' ' = 5 + (32 - 32), '7' = 5 + (55 - 32)
      assertArrayEquals(new int[] {100, 5, 101, 5, 28}, tokenizer.encode("Dictionary key 7"));
      assertEquals(102, tokenizer.vocabSize());
    }
  }

  @Test
  void recorded_nothingRecorded_isEmpty_andOpenFallsBackToTemplateWords(@TempDir Path dir)
      throws IOException {
    assertTrue(CheckpointTokenizer.recorded(dir).isEmpty());
    try (TextTokenizer tokenizer = CheckpointTokenizer.open(dir)) {
      SyntheticTokenizer templates = SyntheticTokenizer.withTemplateWords();
      assertEquals(templates.vocabSize(), tokenizer.vocabSize());
      assertArrayEquals(templates.encode("Dictionary 7"), tokenizer.encode("Dictionary 7"));
    }
  }

  @Test
  void recorded_tokenizerJson_winsOverSynthetic(@TempDir Path dir) throws IOException {
    CheckpointTokenizer.writeSynthetic(SyntheticTokenizer.withTemplateWords(), dir);
    Files.writeString(dir.resolve("tokenizer.json"), HfTokenizerTest.TOKENIZER_JSON);
    try (TextTokenizer tokenizer = CheckpointTokenizer.open(dir)) {
      assertInstanceOf(HfTokenizer.class, tokenizer);
      assertArrayEquals(new int[] {11, 13}, tokenizer.encode("low low"));
    }
  }

  @Test
  void copy_carriesHfFiles_orRecordsTheLegacyDefault(@TempDir Path root) throws IOException {
    Path hf = Files.createDirectories(root.resolve("hf"));
    Files.writeString(hf.resolve("tokenizer.json"), HfTokenizerTest.TOKENIZER_JSON);
    Files.writeString(hf.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    Files.writeString(hf.resolve("config.json"), "{}");
    Path copied = root.resolve("copied");
    CheckpointTokenizer.copy(hf, copied);
    assertEquals(
        Files.readString(hf.resolve("tokenizer.json")),
        Files.readString(copied.resolve("tokenizer.json")));
    assertTrue(Files.exists(copied.resolve("tokenizer_config.json")));
    assertFalse(Files.exists(copied.resolve("config.json"))); // the model's file, not ours
    try (TextTokenizer tokenizer = CheckpointTokenizer.open(copied)) {
      assertEquals(2, tokenizer.eosId());
    }

    Path legacy = Files.createDirectories(root.resolve("legacy"));
    Path fromLegacy = root.resolve("from-legacy");
    CheckpointTokenizer.copy(legacy, fromLegacy);
    assertTrue(Files.exists(fromLegacy.resolve(CheckpointTokenizer.SYNTHETIC_FILE)));
    try (TextTokenizer tokenizer = CheckpointTokenizer.recorded(fromLegacy).orElseThrow()) {
      assertEquals(SyntheticTokenizer.withTemplateWords().vocabSize(), tokenizer.vocabSize());
    }
  }

  @Test
  void recorded_malformedSyntheticFile_namesIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(CheckpointTokenizer.SYNTHETIC_FILE), "{\"type\": \"bpe\"}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CheckpointTokenizer.recorded(dir));
    assertEquals(
        "synthetic_tokenizer.json must be {\"type\": \"synthetic\", \"words\": [...]}, got"
            + " {\"type\":\"bpe\"}",
        e.getMessage());
  }

  @Test
  void requireFits_tokenizerLargerThanEmbedding_namesBothSizes() {
    SyntheticTokenizer tokenizer = SyntheticTokenizer.withTemplateWords();
    ModelConfig small =
        new ModelConfig(tokenizer.vocabSize() - 1, 32, 1, 4, 4, 48, 1e4, 64, true, 1e-5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CheckpointTokenizer.requireFits(tokenizer, small));
    assertEquals(
        "the tokenizer has "
            + tokenizer.vocabSize()
            + " ids but the model's vocab_size is "
            + (tokenizer.vocabSize() - 1)
            + " (must be at least the tokenizer's)",
        e.getMessage());
    CheckpointTokenizer.requireFits(
        tokenizer, new ModelConfig(tokenizer.vocabSize() + 7, 32, 1, 4, 4, 48, 1e4, 64, true, 1e-5));
  }
}
