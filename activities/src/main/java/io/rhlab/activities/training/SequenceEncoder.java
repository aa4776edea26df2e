package io.rhlab.activities.training;

import io.rhlab.activities.model.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/** Turns examples into token rows and packs rows into right-padded batches. */
final class SequenceEncoder {

  private final TextTokenizer tokenizer;
  private final int seqLen;

  SequenceEncoder(TextTokenizer tokenizer, int seqLen) {
    this.tokenizer = tokenizer;
    this.seqLen = seqLen;
  }

  /** One encoded example: its tokens and the index of its first answer token. */
  record Row(int[] tokens, int answerStart) {}

  /**
   * {@code [bos] prompt answer [eos]}; bos and eos are left out when the tokenizer has none.
   *
   * @throws IllegalArgumentException if the row would exceed seqLen tokens
   */
  Row encode(TrainingExample example, String where) {
    int[] prompt = tokenizer.encode(example.prompt());
    int[] answer = tokenizer.encode(example.answer());
    int bos = tokenizer.bosId() >= 0 ? 1 : 0;
    int eos = tokenizer.eosId() >= 0 ? 1 : 0;
    int length = bos + prompt.length + answer.length + eos;
    if (length > seqLen) {
      throw new IllegalArgumentException(
          where + " has " + length + " tokens, more than seqLen=" + seqLen
              + " (raise seqLen or shorten the example; examples are never truncated)");
    }
    int[] tokens = new int[length];
    if (bos == 1) {
      tokens[0] = tokenizer.bosId();
    }
    System.arraycopy(prompt, 0, tokens, bos, prompt.length);
    System.arraycopy(answer, 0, tokens, bos + prompt.length, answer.length);
    if (eos == 1) {
      tokens[length - 1] = tokenizer.eosId();
    }
    return new Row(tokens, bos + prompt.length);
  }

  /** Right-pads rows to the longest one; the mask marks answer tokens and eos. */
  TokenBatch pack(List<Row> rows) {
    int length = rows.stream().mapToInt(r -> r.tokens().length).max().orElseThrow();
    int pad = Math.max(0, tokenizer.padId());
    int[][] tokens = new int[rows.size()][length];
    float[][] mask = new float[rows.size()][length];
    int real = 0;
    int targets = 0;
    for (int b = 0; b < rows.size(); b++) {
      Row row = rows.get(b);
      Arrays.fill(tokens[b], pad);
      System.arraycopy(row.tokens(), 0, tokens[b], 0, row.tokens().length);
      for (int t = row.answerStart(); t < row.tokens().length; t++) {
        mask[b][t] = 1f;
        targets++;
      }
      real += row.tokens().length;
    }
    return new TokenBatch(tokens, mask, real, targets);
  }
}
