package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.DecodeResult;
import io.rhlab.activities.model.GreedyDecoder;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.activities.synthesis.KvExample;
import io.rhlab.activities.synthesis.KvRetrievalGenerator;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Research companion of {@link KvDemoExperiment}: where each head of a saved model looks when it
 * predicts the first value digit of a real key-value prompt (the answer is teacher-forced up to
 * {@code ... is }). Each head's argmax key position is classed as the gold value's first digit,
 * another digit of the dictionaries, the question line, the last 8 tokens, or other, and counted
 * separately for right and wrong predictions.
 *
 * <pre>
 * java -cp activities/target/classes:activities/target/test-classes:$CP \
 *     io.rhlab.activities.training.KvAttentionProbe MODEL_DIR [EXAMPLES]
 * </pre>
 *
 * MODEL_DIR is what {@code KvDemoExperiment save=DIR} wrote.
 */
public final class KvAttentionProbe {
  private KvAttentionProbe() {}

  public static void main(String[] args) throws java.io.IOException {
    SyntheticTokenizer tokenizer = SyntheticTokenizer.withCorpusWords();
    int examples = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    // the demo's shape, from a seed no training run uses
    KvRetrievalGenerator generator = new KvRetrievalGenerator(new KvRetrievalData(1, 3, 2, 2, 3, 2, 2, false, 777, 1000));
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaCheckpoint.load(Path.of(args[0]), manager)) {
      GreedyDecoder decoder = new GreedyDecoder(model);
      Map<String, Integer> counts = new TreeMap<>();
      int right = 0;
      for (int i = 0; i < examples; i++) {
        KvExample example = generator.example(i);
        String prompt = example.prompt();
        int[] ids = tokenizer.encode(prompt + TrainingExample.KV_SEPARATOR + "The value of key " + example.goldKey() + " is ");
        DecodeResult result = decoder.decode(ids, 1, Set.of(), Instrumentation.builder().recordArgmax().build());
        boolean correct = tokenizer.piece(result.tokens()[0]).equals(Integer.toString(example.goldValue()).substring(0, 1));
        right += correct ? 1 : 0;
        String entry = example.goldKey() + ": ";
        int gold = tokenizer.encode(prompt.substring(0, prompt.indexOf(entry + example.goldValue()) + entry.length())).length;
        int question = tokenizer.encode(prompt.substring(0, prompt.indexOf("Report"))).length;
        int[][] argmax = result.argmaxPerStep().get(0);
        for (int layer = 0; layer < argmax.length; layer++) {
          for (int head = 0; head < argmax[layer].length; head++) {
            int p = argmax[layer][head];
            String where = p == gold ? "gold value digit"
                : p >= ids.length - 8 ? "last 8 tokens"
                : p >= question ? "question"
                : Character.isDigit(tokenizer.piece(ids[p]).charAt(0)) ? "other digit" : "other";
            counts.merge(layer + "." + head + " " + where + (correct ? " (right)" : " (wrong)"), 1, Integer::sum);
          }
        }
        if (i < 4) {
          StringBuilder looks = new StringBuilder();
          for (int layer = 0; layer < argmax.length; layer++) {
            for (int head = 0; head < argmax[layer].length; head++) {
              int p = argmax[layer][head];
              String around = tokenizer.decode(Arrays.copyOfRange(ids, Math.max(0, p - 4), p + 1)).replace("\n", "\\n");
              looks.append(String.format(" %d.%d->%d '%s'", layer, head, p, around));
            }
          }
          System.out.printf("example %d: key %d value %d, predicted %s, gold digit at %d of %d:%s%n",
              i, example.goldKey(), example.goldValue(), tokenizer.piece(result.tokens()[0]), gold, ids.length, looks);
        }
      }
      System.out.printf("first value digit right: %d of %d%n", right, examples);
      counts.forEach((key, count) -> System.out.println(key + " " + count));
    }
  }
}
