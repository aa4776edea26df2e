package io.rhlab.activities.synthesis;

import java.util.SplittableRandom;

/**
 * A fact planted in text, its question and its answer, at one of three levels of realism (Zhao,
 * Yin and Durrett 2024): a natural-language sentence, the same relation as a templated triple, or
 * symbolic tokens.
 *
 * @param needle the planted text
 * @param question the question it answers
 * @param value the answer, which occurs in the needle once
 */
record PlantedFact(String needle, String question, String value) {

  static PlantedFact draw(String realism, SplittableRandom rnd) {
    switch (realism) {
      case "fact": {
        String person = Entities.person(rnd);
        String object = Entities.pick(rnd, Entities.OBJECTS);
        String town = Entities.word(rnd);
        return new PlantedFact(
            person + " keeps the " + object + " in the town of " + town + ".",
            "In which town does " + person + " keep the " + object + "?",
            town);
      }
      case "relation": {
        String person = Entities.person(rnd);
        String object = Entities.pick(rnd, Entities.OBJECTS);
        String town = Entities.word(rnd);
        return new PlantedFact(
            "(" + person + ", keeps " + object + " in, " + town + ")",
            "(" + person + ", keeps " + object + " in, ?)",
            town);
      }
      case "symbolic": {
        String code = Entities.code(rnd);
        String value = Entities.number(rnd, 5);
        return new PlantedFact(code + " = " + value, code + " = ?", value);
      }
      default:
        throw new IllegalArgumentException("realism must be one of fact, relation, symbolic, got " + realism);
    }
  }
}
