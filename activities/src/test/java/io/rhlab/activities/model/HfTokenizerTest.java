package io.rhlab.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerTest {

  /**
   * A byte-level BPE in the GPT-2 / Llama 3 / Qwen2 / SmolLM style: "Ġ" is the space byte, "Ċ" the
   * newline byte. Merges, by rank: "l o", "lo w", "e r", "Ġ low".
   */
  static final String TOKENIZER_JSON =
      """
      {
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [
          {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true}
        ],
        "normalizer": null,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                          "use_regex": true},
        "post_processor": {
          "type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}}],
          "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                   {"Sequence": {"id": "A", "type_id": 0}},
                   {"Sequence": {"id": "B", "type_id": 1}}],
          "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true,
                    "use_regex": true},
        "model": {
          "type": "BPE",
          "dropout": null,
          "unk_token": "<unk>",
          "continuing_subword_prefix": null,
          "end_of_word_suffix": null,
          "fuse_unk": false,
          "byte_fallback": false,
          "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "Ġ": 3, "l": 4, "o": 5, "w": 6, "e": 7,
                    "r": 8, "n": 9, "lo": 10, "low": 11, "er": 12, "Ġlow": 13, "1": 14, "2": 15,
                    "Ċ": 16},
          "merges": ["l o", "lo w", "e r", "Ġ low"]
        }
      }
      """;

  @Test
  void encode_byteLevelBpe_appliesMergesByRank(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      // pre-tokens "low", "Ġlower", "Ċ", "12"; by hand:
      //   low    : l o w -> lo w -> low                                  = [11]
      //   Ġlower : Ġ l o w e r -> Ġ lo w e r -> Ġ low e r -> Ġ low er -> Ġlow er = [13, 12]
      //   Ċ = [16];  12 : no merge = [14, 15]
      // and no <s> although the post-processor would add one
      assertArrayEquals(new int[] {11, 13, 12, 16, 14, 15}, tokenizer.encode("low lower\n12"));
      // " rn": no merge applies, one token per byte
      assertArrayEquals(new int[] {3, 8, 9}, tokenizer.encode(" rn"));
      // "z" is not in the vocabulary: the unknown token, as in Python
      assertArrayEquals(new int[] {0}, tokenizer.encode("z"));
    }
  }

  @Test
  void decode_dropsSpecialTokensAndInvertsEncode(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      assertEquals("low lower\n12", tokenizer.decode(new int[] {1, 11, 13, 12, 16, 14, 15, 2}));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {17}));
      assertEquals("token id must be in [0, 17), got 17", e.getMessage());
    }
  }

  @Test
  void encode_longText_isNotTruncated(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
    // a tokenizer_config.json whose model_max_length would truncate if it were applied
    Files.writeString(
        dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 8, \"bos_token\": \"<s>\"}");
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      int[] expected = new int[600];
      Arrays.fill(expected, 13);
      expected[0] = 11; // "low" then 599 x "Ġlow"
      assertArrayEquals(expected, tokenizer.encode("low" + " low".repeat(599)));
    }
  }

  @Test
  void specialIds_fromTokenizerConfigThenConfigJson(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      assertEquals(17, tokenizer.vocabSize());
      assertEquals(-1, tokenizer.bosId());
      assertEquals(-1, tokenizer.eosId());
      assertEquals(-1, tokenizer.padId());
    }
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"bos_token\": \"<s>\", \"eos_token\": {\"content\": \"</s>\", \"special\": true},"
            + " \"pad_token\": null}");
    // Llama 3 style: eos_token_id a list; tokenizer_config.json wins where it names a token
    Files.writeString(
        dir.resolve("config.json"),
        "{\"bos_token_id\": 9, \"eos_token_id\": [16, 2], \"pad_token_id\": 0}");
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      assertEquals(1, tokenizer.bosId());
      assertEquals(2, tokenizer.eosId());
      assertEquals(0, tokenizer.padId());
    }
    Files.delete(dir.resolve("tokenizer_config.json"));
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      assertEquals(9, tokenizer.bosId());
      assertEquals(16, tokenizer.eosId());
    }
  }

  @Test
  void load_specialTokenOutsideVocabulary_namesIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|end|>\"}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        "tokenizer_config.json: eos_token \"<|end|>\" is not in the vocabulary of tokenizer.json",
        e.getMessage());
  }

  @Test
  void load_fileTheLibraryRejects_isABadInputError(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("tokenizer.json"),
        TOKENIZER_JSON.replace("\"type\": \"BPE\"", "\"type\": \"NoSuchModel\""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HfTokenizer.load(dir));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("tokenizer.json") + " is not a tokenizer"),
        e.getMessage());
  }

  @Test
  void load_withoutTokenizerJson_namesTheFile(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HfTokenizer.load(dir));
    assertEquals(dir + " holds no tokenizer.json", e.getMessage());
  }
}
