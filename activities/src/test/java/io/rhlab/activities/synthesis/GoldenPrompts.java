package io.rhlab.activities.synthesis;

/** Exact prompts of fixed (spec, seed, index), recorded from the generators and checked by eye. */
final class GoldenPrompts {
  static final String NIAH_NOISE_SINGLE =
      "One of the special magic numbers for tidy-wagon is: 9348627. The grass is green.\n\nBased on the content of the book, Question: What is the special magic number for tidy-wagon mentioned in the provided text?\nAnswer:";
  static final String NIAH_NOISE_SINGLE_ANSWER = " 9348627";
  static final String NIAH_TEXT_MULTI_QUERY =
      "One of the special magic numbers for tidy-wagon is: 4656959. One of the special magic numbers for dark-pillow is: 8205267. However, we must also take into account the moral and ethical dimension of biotechnology.\n\nBased on the content of the book, Question: What are all the special magic numbers for tidy-wagon and dark-pillow mentioned in the provided text?\nAnswer:";
  static final String NIAH_TEXT_MULTI_QUERY_ANSWER = " 4656959, 8205267";
  static final String NIAH_TEXT_MULTI_VALUE =
      "One of the special magic numbers for tidy-wagon is: 9539373. One of the special magic numbers for tidy-wagon is: 4656959. I would like to make a few important points. One of the special magic numbers for tidy-wagon is: 9348627.\n\nBased on the content of the book, Question: What are all the special magic numbers for tidy-wagon mentioned in the provided text?\nAnswer:";
  static final String NIAH_TEXT_MULTI_VALUE_ANSWER = " 9539373, 4656959, 9348627";
  static final String Q_FACT_VARIED =
      "Steiboudrir keeps the sextant in the town of Grogouli. Mr President, this debate is about strategic priorities.\n\nBased on the content of the book, Question: In which town does Steiboudrir keep the sextant?\nAnswer:";
  static final String Q_FACT_VARIED_ANSWER = " Grogouli";
  static final String Q_FACT_REPETITIVE =
      "Steiboudrir keeps the sextant in the town of Grogouli.\n\nBased on the content of the book, Question: In which town does Steiboudrir keep the sextant?\nAnswer:";
  static final String Q_FACT_REPETITIVE_ANSWER = " Grogouli";
  static final String Q_RELATION_VARIED =
      "(Steiboudrir, keeps sextant in, Grogouli) Mr President, this debate is about strategic priorities. Take the transport area, for example.\n\nBased on the content of the book, Question: (Steiboudrir, keeps sextant in, ?)\nAnswer:";
  static final String Q_RELATION_VARIED_ANSWER = " Grogouli";
  static final String Q_RELATION_REPETITIVE =
      "(Steiboudrir, keeps sextant in, Grogouli)\n\nBased on the content of the book, Question: (Steiboudrir, keeps sextant in, ?)\nAnswer:";
  static final String Q_RELATION_REPETITIVE_ANSWER = " Grogouli";
  static final String Q_SYMBOLIC_VARIED =
      "Adoption of the directive on the admission of researchers is also envisaged for the very near future. qpd-6p5 = 30949 We have to be equally serious.\n\nBased on the content of the book, Question: qpd-6p5 = ?\nAnswer:";
  static final String Q_SYMBOLIC_VARIED_ANSWER = " 30949";
  static final String Q_SYMBOLIC_REPETITIVE =
      "qpd-6p5 = 30949 Mr President, I would like to restrict my remarks to Mr Wuermeling's report on consumer credit.\n\nBased on the content of the book, Question: qpd-6p5 = ?\nAnswer:";
  static final String Q_SYMBOLIC_REPETITIVE_ANSWER = " 30949";
  static final String MDQA_ONE_HOP =
      "Write a high-quality answer for the given question using only the provided search results (some of which might be irrelevant).\n\nDocument [1](Title: ALTENER) One last word regarding the programme.\nDocument [2](Title: Ladies and gentlemen, today, 17 May, is International Day against Homophobia.) Who is talking about human rights? The Red Indians.\nDocument [3](Title: Statement by the President) Above all, the EU should not try to emulate the United States.\nDocument [4](Title: Legislative and work programme of the Commission for 2007 (debate)) Drapith keeps the typewriter in the town of Bribrester.\n\nQuestion: In which town does Drapith keep the typewriter?\nAnswer:";
  static final String MDQA_ONE_HOP_ANSWER = " Bribrester";
  static final String MDQA_TWO_HOP =
      "Write a high-quality answer for the given question using only the provided search results (some of which might be irrelevant).\n\nDocument [1](Title: Explanations of vote) This is inadmissible, and we have therefore voted against.\nDocument [2](Title: Question Time (Council)) European level. Pogi was born in the town of Zeikrei.\nDocument [3](Title: Question Time (Commission)) The mayor of Zeikrei is Stugrotra.\nDocument [4](Title: Situation in Georgia (debate)) Assistance for Georgia is important, as we have heard.\n\nQuestion: Who is the mayor of the town where Pogi was born?\nAnswer:";
  static final String MDQA_TWO_HOP_ANSWER = " Stugrotra";
  static final String MULTISUBKEY =
      "Do a task using the list of dictionaries below.\n\nDictionary [1] {(999, 77, 76): 65, (76, 96, 48): 310}\nDictionary [2] {(682, 389, 715): 56}\nDictionary [3] {(999, 76, 29): 600, (452, 63, 95): 750}\n\nAbove is a list of dictionaries such that each key is a tuple of integers and each value is an integer. Report the value of the key that contains the integers 76, 29 and 999 and the dictionary it is in. Answer in the following template:\nThe value of the key is <fill-in-value> and it is in Dictionary [<fill-in-dictionary-name>].";
  static final String MULTISUBKEY_ANSWER = "The value of the key is 600 and it is in Dictionary [3].";

  private GoldenPrompts() {}
}
