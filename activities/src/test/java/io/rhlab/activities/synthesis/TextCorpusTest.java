package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.model.SyntheticTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextCorpusTest {
  private static final TextCorpus CORPUS = TextCorpus.europarl();

  @Test
  void fold_stripsAccentsAndMapsTypography() {
    assertEquals("Cafe - \"quoted\" naive Strasse, it's x ... y",
        TextCorpus.fold("Caf\u00e9 \u2013 \u201cquoted\u201d  na\u00efve Stra\u00dfe, it\u2019s\u00a0x \u2026 y\u4e2d"));
  }

  @Test
  void europarl_isEnglishPrintableAsciiOnly() {
    assertTrue(CORPUS.size() > 1_000, CORPUS.size() + " documents");
    for (TextCorpus.Document d : CORPUS.documents()) {
      String all = d.title() + d.text();
      assertTrue(all.chars().allMatch(c -> c >= 32 && c < 127), d.title());
      assertTrue(TextCorpus.isEnglish(d.text()), d.title());
    }
    assertFalse(TextCorpus.isEnglish("Ich glaube, daß wir bei der Abstimmung über den Haushalt vor allem darauf hinwirken"));
  }

  @Test
  void sentences_dropTheCutFirstAndLastPieces() {
    assertEquals(List.of("Secondly, a bloc. Is simple.", "We must call a law a law!"),
        TextCorpus.sentences("outright. Secondly, a bloc. Is simple. We must call a law a law! The vote wil")
            .stream().reduce((a, b) -> a + "|" + b).map(s -> List.of(s.split("\\|")))
            .map(l -> List.of(l.get(0) + " " + l.get(1), l.get(2))).orElseThrow());
  }

  @Test
  void corpusWords_areTheCorpusMostFrequentWordsFillingTheIdsTo512() throws Exception {
    int wanted = SyntheticTokenizer.CORPUS_VOCAB_SIZE - SyntheticTokenizer.withTemplateWords().vocabSize();
    List<String> computed = CORPUS.frequentWords(wanted, SyntheticTokenizer.TEMPLATE_WORDS);
    if (!computed.equals(SyntheticTokenizer.CORPUS_WORDS)) {
      Files.write(Path.of("target/corpus-words.txt"), computed);
    }
    assertEquals(computed, SyntheticTokenizer.CORPUS_WORDS, "regenerate from target/corpus-words.txt");
    assertEquals(SyntheticTokenizer.CORPUS_VOCAB_SIZE, SyntheticTokenizer.withCorpusWords().vocabSize());
  }

  @Test
  void withCorpusWords_keepsEveryTemplateIdAndRoundTripsRealText() {
    SyntheticTokenizer template = SyntheticTokenizer.withTemplateWords();
    SyntheticTokenizer corpus = SyntheticTokenizer.withCorpusWords();
    for (int id = 0; id < template.vocabSize(); id++) {
      assertEquals(template.piece(id), corpus.piece(id));
    }
    String prompt = "Do a task using the list of dictionaries below.\n\nDictionary [1] {8735: 462}";
    assertArrayEquals(template.encode(prompt), corpus.encode(prompt));
    long before = 0;
    long after = 0;
    for (int i = 0; i < CORPUS.size(); i += 50) {
      String text = CORPUS.document(i).text();
      assertEquals(text, corpus.decode(corpus.encode(text)));
      before += template.encode(text).length;
      after += corpus.encode(text).length;
    }
    // measured: 23,635 -> 17,375 tokens (-26%); words outside the 353 still cost a token a letter
    assertTrue(after * 5 < before * 4, "corpus words should save at least a fifth: " + before + " -> " + after);
  }
}
