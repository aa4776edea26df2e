package io.rhlab.activities.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rhlab.activities.model.SyntheticTokenizer;
import java.io.ByteArrayOutputStream;

/** Checks every generator's examples must pass, written apart from the generators. */
final class GeneratorChecks {
  static final SyntheticTokenizer TOKENIZER = SyntheticTokenizer.withCorpusWords();

  private GeneratorChecks() {}

  /** Occurrences of {@code needle} in {@code text}, overlapping ones included. */
  static int occurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Every needle once in the prompt, every answer string in it, prompt + answer within budget. */
  static void wellFormed(TaskExample e, int budget) {
    for (String needle : e.needles()) {
      assertEquals(1, occurrences(e.prompt(), needle), "needle " + needle + " of example " + e.index());
    }
    for (String a : e.answers()) {
      assertTrue(e.prompt().contains(a), "answer " + a + " of example " + e.index());
      assertTrue(e.answer().contains(a), "target holds " + a);
    }
    int tokens = TOKENIZER.encode(e.prompt()).length + TOKENIZER.encode(e.answer()).length;
    assertTrue(tokens <= budget, tokens + " tokens > " + budget + " in example " + e.index());
    assertEquals(e.prompt() + e.answer(), TOKENIZER.decode(TOKENIZER.encode(e.prompt() + e.answer())));
  }

  /** Pearson's chi-squared statistic of counts against equal expectations. */
  static double chiSquared(int[] counts) {
    double total = 0;
    for (int c : counts) {
      total += c;
    }
    double expected = total / counts.length;
    double chi2 = 0;
    for (int c : counts) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    return chi2;
  }

  /** All parts of a dataset concatenated. */
  static byte[] concat(DatasetParts parts, int chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = 0; p < chunks; p++) {
      out.writeBytes(parts.part(p));
    }
    return out.toByteArray();
  }
}
