package io.rhlab.activities.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic tokenizer for the synthetic tasks: every digit, punctuation mark, space, tab and
 * newline is its own token, so numbers are spelled digit by digit (what key-value retrieval has to
 * copy), and whole template words ("Dictionary", "value", "Report", ...) are single tokens.
 *
 * <p>Ids: 0 pad, 1 bos, 2 eos; then newline, tab and the 95 printable ASCII characters (32..126);
 * then the words in the order given. A run of letters that is a known word becomes that word's
 * token; any other run falls back to one token per letter. Decoding concatenates the pieces, so
 * {@code decode(encode(s)).equals(s)} for every ASCII string. Characters outside printable ASCII,
 * tab and newline are rejected.
 */
public final class SyntheticTokenizer implements TextTokenizer {

  /** Padding id. */
  public static final int PAD = 0;

  /** Beginning-of-sequence id. */
  public static final int BOS = 1;

  /** End-of-sequence id. */
  public static final int EOS = 2;

  /** The words of the key-value retrieval, needle-in-a-haystack and multi-document QA templates. */
  public static final List<String> TEMPLATE_WORDS =
      List.of(
          "Do",
          "task",
          "using",
          "the",
          "list",
          "of",
          "dictionaries",
          "below",
          "Dictionary",
          "Above",
          "is",
          "such",
          "that",
          "each",
          "key",
          "and",
          "value",
          "an",
          "integer",
          "Report",
          "dictionary",
          "it",
          "in",
          "Answer",
          "following",
          "template",
          "The",
          "fill",
          "name",
          "Based",
          "on",
          "content",
          "book",
          "Question",
          "Write",
          "high",
          "quality",
          "answer",
          "for",
          "given",
          "question",
          "only",
          "provided",
          "search",
          "results",
          "some",
          "which",
          "might",
          "be",
          "irrelevant",
          "Document",
          "Title",
          "What",
          "number",
          "special",
          "magic",
          "mentioned",
          "text",
          "context");

  /** Ids of the tokenizer with corpus words: the corpus words fill the ids up to this count. */
  public static final int CORPUS_VOCAB_SIZE = 512;

  /** Classpath resource listing {@link #CORPUS_WORDS}, one a line. */
  public static final String CORPUS_WORDS_RESOURCE = "io/rhlab/activities/model/corpus-words.txt";

  /**
   * The most frequent words (letter runs of two or more, case kept) of the English Europarl text
   * of {@code synthesis.TextCorpus}, by count then by string, leaving out template words, as many
   * as fill the ids up to {@link #CORPUS_VOCAB_SIZE}. Stored as a resource (a test recomputes it
   * from the corpus) so the model package does not read the corpus.
   */
  public static final List<String> CORPUS_WORDS = readWords(CORPUS_WORDS_RESOURCE);

  private static final String[] SPECIALS = {"<pad>", "<bos>", "<eos>"};

  private final List<String> pieces;
  private final Map<String, Integer> wordIds;
  private final List<String> words;
  private final int[] charIds = new int[128];

  /**
   * A tokenizer whose word vocabulary is {@code words}, in order (duplicates and single letters,
   * which are character tokens already, are skipped).
   *
   * @param words template words, letters only
   * @throws IllegalArgumentException naming a word that is not letters only
   */
  public SyntheticTokenizer(List<String> words) {
    List<String> all = new ArrayList<>(List.of(SPECIALS));
    java.util.Arrays.fill(charIds, -1);
    List<Character> characters = new ArrayList<>(List.of('\n', '\t'));
    for (char c = 32; c < 127; c++) {
      characters.add(c);
    }
    for (char c : characters) {
      charIds[c] = all.size();
      all.add(String.valueOf(c));
    }
    Map<String, Integer> ids = new HashMap<>();
    Set<String> unique = new LinkedHashSet<>(words);
    for (String word : unique) {
      if (word.isEmpty() || !word.chars().allMatch(SyntheticTokenizer::isLetter)) {
        throw new IllegalArgumentException(
            "words must be ASCII letters only, got \"" + word + "\"");
      }
      if (word.length() > 1) {
        ids.put(word, all.size());
        all.add(word);
      }
    }
    this.pieces = Collections.unmodifiableList(all);
    this.wordIds = Collections.unmodifiableMap(ids);
    this.words = pieces.subList(SPECIALS.length + characters.size(), pieces.size());
  }

  /**
   * The word tokens in id order; {@code new SyntheticTokenizer(words())} has the same ids.
   *
   * @return the distinct words of two or more letters
   */
  public List<String> words() {
    return words;
  }

  /**
   * {@link #TEMPLATE_WORDS} then {@link #CORPUS_WORDS}: the ids of the template tokenizer are kept
   * and real text takes far fewer tokens (a known word is one token, any other letter run one a
   * letter).
   */
  public static SyntheticTokenizer withCorpusWords() {
    List<String> words = new ArrayList<>(TEMPLATE_WORDS);
    words.addAll(CORPUS_WORDS);
    return new SyntheticTokenizer(words);
  }

  private static List<String> readWords(String resource) {
    try (java.io.InputStream in = SyntheticTokenizer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(resource, e);
    }
  }

  /** A tokenizer with {@link #TEMPLATE_WORDS}. */
  public static SyntheticTokenizer withTemplateWords() {
    return new SyntheticTokenizer(TEMPLATE_WORDS);
  }

  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.length()];
    int count = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isLetter(c)) {
        int end = i;
        while (end < text.length() && isLetter(text.charAt(end))) {
          end++;
        }
        Integer word = wordIds.get(text.substring(i, end));
        if (word != null) {
          ids[count++] = word;
        } else {
          for (int j = i; j < end; j++) {
            ids[count++] = charIds[text.charAt(j)];
          }
        }
        i = end;
      } else {
        if (c >= charIds.length || charIds[c] < 0) {
          throw new IllegalArgumentException(
              String.format(
                  "character U+%04X at index %d is not in the vocabulary (ASCII only)",
                  (int) c, i));
        }
        ids[count++] = charIds[c];
        i++;
      }
    }
    return java.util.Arrays.copyOf(ids, count);
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    for (int id : ids) {
      if (id < 0 || id >= pieces.size()) {
        throw new IllegalArgumentException(
            "token id must be in [0, " + pieces.size() + "), got " + id);
      }
      if (id >= SPECIALS.length) {
        text.append(pieces.get(id));
      }
    }
    return text.toString();
  }

  /**
   * The text piece of one id (a special token's name for 0..2).
   *
   * @param id token id
   * @return e.g. "Dictionary", "7", "\n" or "<eos>"
   */
  public String piece(int id) {
    return pieces.get(id);
  }

  @Override
  public int vocabSize() {
    return pieces.size();
  }

  @Override
  public int bosId() {
    return BOS;
  }

  @Override
  public int eosId() {
    return EOS;
  }

  @Override
  public int padId() {
    return PAD;
  }

  private static boolean isLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
