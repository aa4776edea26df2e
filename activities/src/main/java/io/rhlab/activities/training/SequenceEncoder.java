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

  /** One encoded example: its tokens and which of them are loss targets. */
  record Row(int[] tokens, boolean[] target) {}

  /**
   * {@code [bos] prompt answer [eos]}; bos and eos are left out when the tokenizer has none.
   *
   * @throws IllegalArgumentException if the row would exceed seqLen tokens
   */
  Row encode(TrainingExample example, String where) {
    return encode(example.toSequence(), where);
  }

  /**
   * {@code [bos] segments... [eos]}, targets marked; bos and eos are left out when the tokenizer
   * has none (the eos, when present, is a target).
   *
   * @throws IllegalArgumentException if the row would exceed seqLen tokens
   */
  Row encode(TrainingSequence sequence, String where) {
    List<int[]> pieces = new java.util.ArrayList<>();
    int length = tokenizer.bosId() >= 0 ? 1 : 0;
    for (TrainingSequence.Segment segment : sequence.segments()) {
      int[] ids = tokenizer.encode(segment.text());
      pieces.add(ids);
      length += ids.length;
    }
    int eos = tokenizer.eosId() >= 0 ? 1 : 0;
    length += eos;
    if (length > seqLen) {
      throw new IllegalArgumentException(
          where + " has " + length + " tokens, more than seqLen=" + seqLen
              + " (raise seqLen or shorten the example; examples are never truncated)");
    }
    int[] tokens = new int[length];
    boolean[] target = new boolean[length];
    int at = 0;
    if (tokenizer.bosId() >= 0) {
      tokens[at++] = tokenizer.bosId();
    }
    for (int i = 0; i < pieces.size(); i++) {
      int[] ids = pieces.get(i);
      boolean isTarget = sequence.segments().get(i).target();
      for (int id : ids) {
        target[at] = isTarget;
        tokens[at++] = id;
      }
    }
    if (eos == 1) {
      target[at] = true;
      tokens[at] = tokenizer.eosId();
    }
    return new Row(tokens, target);
  }

  /** Right-pads rows to the longest one; the mask marks target tokens (answer and eos). */
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
      for (int t = 0; t < row.tokens().length; t++) {
        if (row.target()[t]) {
          mask[b][t] = 1f;
          targets++;
        }
      }
      real += row.tokens().length;
    }
    return new TokenBatch(tokens, mask, real, targets);
  }
}
