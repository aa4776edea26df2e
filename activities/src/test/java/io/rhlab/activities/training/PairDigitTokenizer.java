package io.rhlab.activities.training;

import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Research only: the synthetic tokenizer plus one token per two-digit chunk "00".."99". */
final class PairDigitTokenizer implements TextTokenizer {
  private final SyntheticTokenizer base;
  private final int first;

  PairDigitTokenizer(SyntheticTokenizer base) {
    this.base = base;
    this.first = base.vocabSize();
  }

  String piece(int id) {
    return id >= first ? String.format("%02d", id - first) : base.piece(id);
  }

  @Override
  public int[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    int i = 0;
    StringBuilder other = new StringBuilder();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        flush(other, ids);
        int end = i;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        int j = i;
        while (j + 2 <= end) {
          ids.add(first + Integer.parseInt(text.substring(j, j + 2)));
          j += 2;
        }
        if (j < end) {
          for (int id : base.encode(text.substring(j, end))) {
            ids.add(id);
          }
        }
        i = end;
      } else {
        other.append(c);
        i++;
      }
    }
    flush(other, ids);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private void flush(StringBuilder other, List<Integer> ids) {
    if (other.length() > 0) {
      for (int id : base.encode(other.toString())) {
        ids.add(id);
      }
      other.setLength(0);
    }
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder s = new StringBuilder();
    for (int id : ids) {
      if (id >= first) {
        s.append(piece(id));
      } else {
        s.append(base.decode(new int[] {id}));
      }
    }
    return s.toString();
  }

  @Override
  public int vocabSize() {
    return first + 100;
  }

  @Override
  public int bosId() {
    return base.bosId();
  }

  @Override
  public int eosId() {
    return base.eosId();
  }

  @Override
  public int padId() {
    return base.padId();
  }
}
