package io.rhlab.activities.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tartarus.snowball.ext.PorterStemmer;

/**
 * ROUGE-1 recall as the retrieval-head reference gates answers (Google's rouge_score with
 * use_stemmer=True): unigram overlap between the reference text and the candidate, divided by the
 * number of reference unigrams.
 *
 * <p>Tokenisation follows rouge_score: lower case, every run of characters outside [a-z0-9] is a
 * separator, tokens longer than 3 characters are Porter-stemmed, empty tokens dropped. The stemmer
 * is Lucene's Snowball "Porter" (the original 1980 algorithm); rouge_score uses NLTK's Porter
 * stemmer with NLTK's extensions, which stems a few irregular words differently (e.g. "dying").
 */
public final class Rouge1Recall {

  private Rouge1Recall() {}

  /**
   * The tokens ROUGE compares.
   *
   * @param text any text
   * @return lower-case, stemmed alphanumeric tokens
   */
  public static List<String> tokens(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").trim();
    List<String> tokens = new ArrayList<>();
    if (lower.isEmpty()) {
      return tokens;
    }
    PorterStemmer stemmer = new PorterStemmer(); // not thread-safe: one per call
    for (String token : lower.split(" ")) {
      if (token.length() > 3) {
        stemmer.setCurrent(token);
        stemmer.stem();
        token = stemmer.getCurrent();
      }
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  /**
   * ROUGE-1 recall of a candidate against a reference.
   *
   * @param reference the target text (the reference uses the needle's answer part)
   * @param candidate the model's response
   * @return clipped unigram overlap / reference unigrams, in [0, 1]; 0 when the reference has no
   *     token (rouge_score divides by max(count, 1))
   */
  public static double recall(String reference, String candidate) {
    List<String> target = tokens(reference);
    Map<String, Integer> available = new HashMap<>();
    for (String token : tokens(candidate)) {
      available.merge(token, 1, Integer::sum);
    }
    int overlap = 0;
    for (String token : target) {
      Integer left = available.get(token);
      if (left != null && left > 0) {
        overlap++;
        available.put(token, left - 1);
      }
    }
    return (double) overlap / Math.max(target.size(), 1);
  }
}
