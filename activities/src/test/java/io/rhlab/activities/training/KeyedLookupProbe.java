package io.rhlab.activities.training;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.DecodeResult;
import io.rhlab.activities.model.GreedyDecoder;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.LlamaCheckpoint;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.SyntheticTokenizer;
import io.rhlab.workflows.spec.KvRetrievalData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Research companion of {@link KvDemoExperiment} for the compact keyed format: on held-out keyed
 * sequences, teacher-forced, it counts (a) where each head looks (its argmax offset back from the
 * position that predicts a query's first value digit, and from each dictionary value's first
 * digit, for layer 0) and (b) how the first value digit went wrong: taken from a value whose key
 * shares the last digit, the first digit, some digit, or no digit with the asked key. A model that
 * matches keys shows layer-0 heads at offsets 3-4 (the key's digits) and few "unrelated" errors.
 *
 * <pre>
 * java -cp activities/target/classes:activities/target/test-classes:$CP \
 *     io.rhlab.activities.training.KeyedLookupProbe MODEL_DIR [SEQUENCES]
 * </pre>
 *
 * MODEL_DIR is what {@code KvDemoExperiment save=DIR} wrote; counts under 3 are not printed.
 */
public final class KeyedLookupProbe {
  private static final Pattern ENTRY = Pattern.compile("(\\d+): (\\d)");
  private static final Pattern QUERY = Pattern.compile("key (\\d+) is (\\d)");

  private KeyedLookupProbe() {}

  public static void main(String[] args) throws java.io.IOException {
    SyntheticTokenizer tokenizer = SyntheticTokenizer.withCorpusWords();
    int sequences = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    // the demo's keyed shape, from a seed no training run uses
    KvRetrievalData shape = new KvRetrievalData(1, 3, 1, 2, 3, 2, 2, false, 1, 1000);
    InductionCurriculum keyed = new InductionCurriculum(shape, 99_001, InductionCurriculum.Mix.keyedOnly(8));
    Map<String, Integer> counts = new TreeMap<>();
    try (NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaCheckpoint.load(Path.of(args[0]), manager)) {
      GreedyDecoder decoder = new GreedyDecoder(model);
      for (int s = 0; s < sequences; s++) {
        String text = keyed.apply(s).text();
        int dictionariesEnd = text.indexOf("key ");
        int[] ids = tokenizer.encode(text);
        Map<String, String> values = new LinkedHashMap<>(); // key -> value, from the dictionaries
        Matcher entry = ENTRY.matcher(text.substring(0, dictionariesEnd));
        while (entry.find()) {
          int end = text.indexOf(',', entry.start());
          int close = text.indexOf('}', entry.start());
          values.put(entry.group(1), text.substring(entry.start(2), end < 0 || close < end ? close : end));
          // layer 0 at the value's first digit (the prefix ends there)
          int length = tokenizer.encode(text.substring(0, entry.start(2) + 1)).length;
          int[][] argmax = argmaxAtLast(decoder, ids, length);
          for (int h = 0; h < argmax[0].length; h++) {
            counts.merge(String.format("value digit: L0H%d offset %d", h, length - 1 - argmax[0][h]), 1, Integer::sum);
          }
        }
        Matcher query = QUERY.matcher(text);
        query.region(dictionariesEnd, text.length());
        while (query.find()) {
          String key = query.group(1);
          int length = tokenizer.encode(text.substring(0, query.start(2))).length; // up to "is "
          DecodeResult result = decodeOne(decoder, ids, length);
          String got = tokenizer.piece(result.tokens()[0]);
          counts.merge("first value digit: " + errorClass(got, query.group(2), key, values), 1, Integer::sum);
          int[][] argmax = result.argmaxPerStep().get(0);
          for (int h = 0; h < argmax[0].length; h++) {
            int offset = length - 1 - argmax[0][h];
            counts.merge(String.format("answer: L0H%d offset %d '%s'", h, offset, tokenizer.piece(ids[argmax[0][h]])), 1, Integer::sum);
          }
        }
      }
    }
    counts.forEach((what, count) -> {
      if (count >= 3) {
        System.out.println(what + " " + count);
      }
    });
  }

  /** One greedy token after {@code ids[0, length)}, recording each head's argmax at its last position. */
  private static DecodeResult decodeOne(GreedyDecoder decoder, int[] ids, int length) {
    return decoder.decode(Arrays.copyOf(ids, length), 1, Set.of(), Instrumentation.builder().recordArgmax().build());
  }

  /** The argmax rows of the last prompt position of {@code ids[0, length)}. */
  private static int[][] argmaxAtLast(GreedyDecoder decoder, int[] ids, int length) {
    return decodeOne(decoder, ids, length).argmaxPerStep().get(0);
  }

  /** "right", or how the digit relates to the asked key through the value it was taken from. */
  static String errorClass(String got, String gold, String key, Map<String, String> values) {
    if (got.equals(gold)) {
      return "right";
    }
    List<String> sources = new ArrayList<>();
    values.forEach((other, value) -> {
      if (!other.equals(key) && value.startsWith(got)) {
        sources.add(other.charAt(other.length() - 1) == key.charAt(key.length() - 1) ? "key shares last digit"
            : other.charAt(0) == key.charAt(0) ? "key shares first digit"
            : other.chars().anyMatch(c -> key.indexOf(c) >= 0) ? "key shares a digit"
            : "key shares no digit");
      }
    });
    return sources.isEmpty() ? "not a value's digit" : String.join(" or ", new TreeSet<>(sources));
  }
}
