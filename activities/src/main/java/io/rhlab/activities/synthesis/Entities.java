package io.rhlab.activities.synthesis;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Invented names and codes for planted needles and facts. Names are built from syllables, so they
 * do not occur in the real-text corpus; the generators still check every answer span is unique in
 * its prompt.
 */
final class Entities {
  private static final List<String> ONSETS =
      List.of("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "st");
  private static final List<String> VOWELS = List.of("a", "e", "i", "o", "u", "ai", "ei", "ou");
  private static final List<String> CODAS = List.of("", "", "n", "r", "l", "s", "th", "m");

  static final List<String> OBJECTS =
      List.of("violin", "telescope", "bicycle", "painting", "compass", "typewriter", "lantern", "chessboard",
          "microscope", "clock", "kettle", "camera", "harp", "globe", "sextant", "mandolin");

  static final List<String> ADJECTIVES =
      List.of("amber", "brave", "calm", "dusty", "eager", "fuzzy", "gentle", "hollow", "icy", "jolly", "keen",
          "lucky", "mellow", "noble", "odd", "proud", "quiet", "rapid", "silent", "tidy", "vivid", "wild",
          "young", "zesty", "bold", "crisp", "dark", "fancy", "grand", "humble", "little", "sharp");

  static final List<String> NOUNS =
      List.of("anchor", "badger", "cactus", "dolphin", "engine", "falcon", "garden", "harbor", "island", "jacket",
          "kitten", "ladder", "meadow", "needle", "orchard", "pillow", "quarry", "river", "saddle", "tunnel",
          "umbrella", "valley", "wagon", "yacht", "zebra", "beacon", "candle", "desert", "feather", "glacier",
          "hammer", "mirror");

  private Entities() {}

  /** A capitalized invented word of 2-3 syllables, e.g. "Draimoth". */
  static String word(SplittableRandom rnd) {
    StringBuilder w = new StringBuilder();
    int syllables = 2 + rnd.nextInt(2);
    for (int s = 0; s < syllables; s++) {
      w.append(pick(rnd, ONSETS)).append(pick(rnd, VOWELS));
    }
    w.append(pick(rnd, CODAS));
    w.setCharAt(0, Character.toUpperCase(w.charAt(0)));
    return w.toString();
  }

  /** An invented personal name, one word (a name costs a token a letter in the synthetic tokenizer). */
  static String person(SplittableRandom rnd) {
    return word(rnd);
  }

  /** An adjective-noun key in RULER's manner, e.g. "quiet-harbor". */
  static String key(SplittableRandom rnd) {
    return pick(rnd, ADJECTIVES) + "-" + pick(rnd, NOUNS);
  }

  /** A uniform number of exactly {@code digits} digits (no leading zero). */
  static String number(SplittableRandom rnd, int digits) {
    long lo = 1;
    for (int i = 1; i < digits; i++) {
      lo *= 10;
    }
    return Long.toString(lo + rnd.nextLong(9 * lo));
  }

  /** A symbolic code of letters and digits, e.g. "q7x-40k". */
  static String code(SplittableRandom rnd) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      c.append(i == 3 ? '-' : alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return c.toString();
  }

  static <T> T pick(SplittableRandom rnd, List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  /** SplitMix64's finalizer: decorrelates nearby seeds. */
  static SplittableRandom random(long seed, long index, long task) {
    return new SplittableRandom(KvRetrievalGenerator.mix(seed ^ KvRetrievalGenerator.mix(index + task)));
  }
}
