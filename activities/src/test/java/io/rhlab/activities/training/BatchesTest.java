package io.rhlab.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rhlab.activities.model.MaskedCrossEntropy;
import io.rhlab.activities.model.SyntheticTokenizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchesTest {

  private static final SyntheticTokenizer TOKENIZER = TrainingFixtures.TOKENIZER;

  private static TrainingConfig config(int batchSize, int seqLen) {
    return new TrainingConfig(10, batchSize, 1, 1e-3, 0, 0.1, 0, 0.9, 0.95, 1e-8, 1, seqLen, 42);
  }

  @Test
  void batch_rowsAreBosPromptAnswerEosThenPadding() {
    List<TrainingExample> examples =
        List.of(new TrainingExample("ab=", "12"), new TrainingExample("x=", "7"));
    ShuffledBatches batches = new ShuffledBatches(examples, TOKENIZER, config(2, 16));
    TokenBatch batch = batches.batch(0, 0);
    int[] first = batch.tokens()[0];
    int[] second = batch.tokens()[1];
    TrainingExample longer = Arrays.equals(first, row("ab=", "12")) ? examples.get(0) : examples.get(1);
    int[] expectedLong = row("ab=", "12");
    int[] expectedShort = row("x=", "7");
    if (longer == examples.get(0)) {
      assertArrayEquals(expectedLong, first);
      assertArrayEquals(expectedShort, second);
    } else {
      assertArrayEquals(expectedShort, first);
      assertArrayEquals(expectedLong, second);
    }
    // bos a b = 1 2 eos: mask on "1", "2" and eos only.
    float[] longMask = longer == examples.get(0) ? batch.targetMask()[0] : batch.targetMask()[1];
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, longMask);
    // bos x = 7 eos pad: mask on "7" and eos, never on padding.
    float[] shortMask = longer == examples.get(0) ? batch.targetMask()[1] : batch.targetMask()[0];
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 0}, shortMask);
    assertEquals(12, batch.realTokens());
    assertEquals(5, batch.targetTokens());
  }

  /** The expected padded row of length 7. */
  private static int[] row(String prompt, String answer) {
    int[] p = TOKENIZER.encode(prompt);
    int[] a = TOKENIZER.encode(answer);
    int[] row = new int[7];
    Arrays.fill(row, SyntheticTokenizer.PAD);
    row[0] = SyntheticTokenizer.BOS;
    System.arraycopy(p, 0, row, 1, p.length);
    System.arraycopy(a, 0, row, 1 + p.length, a.length);
    row[1 + p.length + a.length] = SyntheticTokenizer.EOS;
    return row;
  }

  @Test
  void loss_onlyAnswerTokensContribute() {
    List<TrainingExample> examples =
        List.of(new TrainingExample("Dictionary [1] {3: 4}\n", "The value is 4."), new TrainingExample("key 9\n", "9"));
    TokenBatch batch = new ShuffledBatches(examples, TOKENIZER, config(2, 64)).batch(0, 0);
    int rows = batch.batchSize();
    int length = batch.length();
    int vocab = TOKENIZER.vocabSize();
    float[] logits = new float[rows * length * vocab];
    Random random = new Random(7);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) random.nextGaussian() * 3;
    }
    // Manual masked cross-entropy: logits at t-1 predict token t where the mask at t is 1.
    double sum = 0;
    double weight = 0;
    for (int b = 0; b < rows; b++) {
      for (int t = 1; t < length; t++) {
        if (batch.targetMask()[b][t] == 0) {
          continue;
        }
        int offset = (b * length + t - 1) * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[offset + v]);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
          z += Math.exp(logits[offset + v] - max);
        }
        double logProbability = logits[offset + batch.tokens()[b][t]] - max - Math.log(z);
        sum -= logProbability;
        weight += 1;
      }
    }
    double expected = sum / weight;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray ids = Trainer.nativeTokens(manager, batch);
      NDArray mask = Trainer.nativeMask(manager, batch);
      NDArray logitArray;
      try (NDArray view = manager.create(logits, new Shape(rows, length, vocab))) {
        logitArray = view.duplicate();
      }
      double actual = MaskedCrossEntropy.nextTokenLoss(logitArray, ids, mask).getFloat();
      assertEquals(expected, actual, 1e-5);

      // Changing a prompt token (a target the mask excludes) leaves the loss unchanged.
      int[][] changed = new int[rows][];
      for (int b = 0; b < rows; b++) {
        changed[b] = batch.tokens()[b].clone();
      }
      changed[0][2] = (changed[0][2] + 1) % vocab;
      TokenBatch altered = new TokenBatch(changed, batch.targetMask(), batch.realTokens(), batch.targetTokens());
      NDArray alteredIds = Trainer.nativeTokens(manager, altered);
      assertEquals(actual, MaskedCrossEntropy.nextTokenLoss(logitArray, alteredIds, mask).getFloat());
    }
  }

  @Test
  void batch_isAPureFunctionOfSeedAndStep() {
    List<TrainingExample> examples = TrainingFixtures.kvExamples(10, 3);
    ShuffledBatches a = new ShuffledBatches(examples, TOKENIZER, config(4, 160));
    ShuffledBatches b = new ShuffledBatches(examples, TOKENIZER, config(4, 160));
    TokenBatch late = a.batch(7, 0);
    a.batch(0, 0); // moving the cursor back and forth changes nothing
    assertArrayEquals(late.tokens(), a.batch(7, 0).tokens());
    assertArrayEquals(late.tokens(), b.batch(7, 0).tokens());
  }

  @Test
  void batch_eachEpochVisitsEveryExampleOnce() {
    List<TrainingExample> examples = TrainingFixtures.kvExamples(10, 3);
    ShuffledBatches batches = new ShuffledBatches(examples, TOKENIZER, config(4, 160));
    for (int epoch = 0; epoch < 3; epoch++) {
      Set<Integer> seen = new HashSet<>();
      for (int slot = epoch * 10; slot < epoch * 10 + 10; slot++) {
        seen.add(batches.indexAt(slot));
      }
      assertEquals(10, seen.size(), "epoch " + epoch);
    }
    assertEquals(false, Arrays.equals(ShuffledBatches.permutation(42, 0, 10), ShuffledBatches.permutation(42, 1, 10)));
  }

  @Test
  void constructor_rejectsAnExampleLongerThanSeqLen() {
    List<TrainingExample> examples = List.of(new TrainingExample("a", "b"), new TrainingExample("abcdef", "g"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ShuffledBatches(examples, TOKENIZER, config(1, 6)));
    assertEquals(
        "example 1 has 9 tokens, more than seqLen=6 (raise seqLen or shorten the example; examples are"
            + " never truncated)",
        e.getMessage());
  }
}
