package io.rhlab.activities.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.rhlab.activities.model.AttentionHead;
import io.rhlab.activities.model.HeadMaskOperator;
import io.rhlab.activities.model.Instrumentation;
import io.rhlab.activities.model.LlamaModel;
import io.rhlab.activities.model.MaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retrieval score, knockout and patching on a model with a hand-built induction circuit ({@link
 * PlantedInductionModel}): the copying head must score 1 and every other head 0, knocking it out
 * must destroy the task and knocking out any other head must not, and patching it from the intact
 * model into one whose copying head was zeroed must restore the answers.
 */
class PlantedRetrievalTest {

  private static final int MAX_NEW_TOKENS = 6; // 4 answer letters and the newline, plus one
  private static final LetterTokenizer TOKENIZER = new LetterTokenizer();

  private static NDManager manager;
  private static LlamaModel planted;
  private static LlamaModel broken;
  private static List<NeedleTest> tests;
  private static List<TaskPrompt> prompts;
  /** One prompt per depth at one length: enough for knockout and patching, and three times faster. */
  private static List<TaskPrompt> fewPrompts;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    planted = PlantedInductionModel.build(true, manager);
    broken = PlantedInductionModel.build(false, manager);
    tests = new ArrayList<>();
    long seed = 1;
    for (int length : new int[] {24, 64, 120}) {
      for (int depth : new int[] {0, 50, 100}) {
        tests.add(needleTest(length, depth, seed++));
      }
    }
    prompts = tests.stream().map(NeedleTest::prompt).toList();
    fewPrompts = prompts.subList(3, 6);
  }

  @AfterAll
  static void stop() {
    broken.close();
    planted.close();
    manager.close();
  }

  /**
   * A start token, then filler of letters a..p and spaces, with the needle "q" + answer + newline at the given depth,
   * then the question "?q": the model must continue after the earlier "q".
   */
  static NeedleTest needleTest(int fillerLength, int depthPercent, long seed) {
    Random random = new Random(seed);
    String fillerAlphabet = "abcdefghijklmnop ";
    StringBuilder filler = new StringBuilder();
    for (int i = 0; i < fillerLength; i++) {
      filler.append(fillerAlphabet.charAt(random.nextInt(fillerAlphabet.length())));
    }
    List<Character> letters = new ArrayList<>();
    "rstuvwxyz".chars().forEach(c -> letters.add((char) c));
    java.util.Collections.shuffle(letters, random);
    String answer = "" + letters.get(0) + letters.get(1) + letters.get(2) + letters.get(3);
    int insert = fillerLength * depthPercent / 100;
    // '#' stands for a beginning-of-sequence token: without it a needle at position 0 would be
    // its own "previous token" and match the question's "q" twice.
    String text =
        "#" + filler.substring(0, insert) + "q" + answer + "\n" + filler.substring(insert) + "?q";
    String id = "len=" + fillerLength + ",depth=" + depthPercent;
    return NeedleTest.of(id, TOKENIZER.encode(text), answer, List.of(answer));
  }

  private static PromptRunner runner(LlamaModel model) {
    return new PromptRunner(model, TOKENIZER, MAX_NEW_TOKENS);
  }

  private static RetrievalScoreOptions options(ScoringCompat compat) {
    return new RetrievalScoreOptions(MAX_NEW_TOKENS, 0.1, compat);
  }

  @Test
  void plantedModel_answersEveryTest_andTheZeroedOneNone() {
    for (TaskPrompt prompt : prompts) {
      assertEquals(
          prompt.answers().get(0), runner(planted).run(prompt.tokens(), null).text(), prompt.id());
    }
    assertEquals(new Accuracy(0, prompts.size()), runner(broken).accuracy(prompts, null));
  }

  @Test
  void retrievalScore_copyingHeadScoresOne_everyOtherHeadZero() {
    for (ScoringCompat compat : ScoringCompat.values()) {
      RetrievalScores scores = new RetrievalScorer(runner(planted), options(compat)).score(tests);
      assertEquals(tests.size(), scores.acceptedTests(), compat.name());
      assertEquals(tests.size(), scores.totalTests());
      // 4 answer tokens, each copied from the needle span of length 4: 4 x 1/4 per test.
      assertEquals(1.0, scores.score(PlantedInductionModel.COPYING), 1e-9, compat.name());
      for (AttentionHead head :
          List.of(
              PlantedInductionModel.PREVIOUS_TOKEN,
              PlantedInductionModel.SELF,
              PlantedInductionModel.DUPLICATE_TOKEN)) {
        assertEquals(0.0, scores.score(head), head + " " + compat);
      }
      assertEquals(
          List.of(new HeadScore(PlantedInductionModel.COPYING, scores.score(PlantedInductionModel.COPYING))),
          scores.retrievalHeads());
      assertEquals(0.25, scores.retrievalShare());
      assertTrue(scores.needleNotFound().isEmpty());
    }
  }

  @Test
  void retrievalScore_duplicateTokenHeadLooksIntoTheNeedleButOnTheWrongToken() {
    // Guards the "prompt[j] == generated token" condition: L1H1 does attend inside the span.
    TaskPrompt prompt = prompts.get(4);
    Generation generation =
        runner(planted).run(prompt.tokens(), Instrumentation.builder().recordArgmax().build());
    NeedleSpan span =
        NeedleLocator.exact(prompt.tokens(), TOKENIZER.encode(tests.get(4).needle())).orElseThrow();
    int step = 1; // query = first generated token, which occurs at span.start() in the prompt
    int[][] argmax = generation.argmaxPerStep().get(step);
    assertEquals(span.start(), argmax[1][1]);
    assertEquals(span.start() + 1, argmax[1][0]);
  }

  @Test
  void retrievalScore_noCorrectAnswer_leavesScoresUndefined() {
    RetrievalScores scores =
        new RetrievalScorer(runner(broken), options(ScoringCompat.CORRECT)).score(tests);
    assertEquals(0, scores.acceptedTests());
    assertFalse(scores.defined());
    assertTrue(Double.isNaN(scores.score(PlantedInductionModel.COPYING)));
    assertTrue(scores.retrievalHeads().isEmpty());
    assertEquals(0.0, scores.retrievalShare());
  }

  @Test
  void retrievalScore_needleNotInThePrompt_isLeftOutAndListed() {
    NeedleTest test = tests.get(0);
    String answer = test.prompt().answers().get(0);
    String swapped = "" + answer.charAt(1) + answer.charAt(0) + answer.substring(2);
    NeedleTest wrongNeedle = new NeedleTest(test.prompt(), swapped);
    RetrievalScores scores =
        new RetrievalScorer(runner(planted), options(ScoringCompat.CORRECT))
            .score(List.of(wrongNeedle));
    assertEquals(0, scores.acceptedTests());
    assertEquals(List.of(test.prompt().id()), scores.needleNotFound());
    assertTrue(scores.outcomes().get(0).correct());
  }

  @Test
  void knockout_ofTheCopyingHeadDestroysTheTask_ofAnyOtherHeadDoesNot() {
    PromptRunner runner = runner(planted);
    for (AttentionHead head : RandomHeads.all(2, 2)) {
      for (HeadMaskOperator operator : HeadMaskOperator.values()) {
        Instrumentation mask =
            Instrumentation.builder()
                .mask(List.of(head), operator, MaskScope.DECODE_ONLY)
                .build();
        int expected = head.equals(PlantedInductionModel.COPYING) ? 0 : fewPrompts.size();
        assertEquals(
            expected, runner.accuracy(fewPrompts, mask).correct(), head + " " + operator);
      }
    }
    // The previous-token head is part of the circuit: masked at the prompt too, it breaks it.
    Instrumentation everywhere =
        Instrumentation.builder()
            .mask(
                List.of(PlantedInductionModel.PREVIOUS_TOKEN),
                HeadMaskOperator.QUERY_ZERO,
                MaskScope.EVERYWHERE)
            .build();
    assertEquals(0, runner.accuracy(fewPrompts, everywhere).correct());
  }

  @Test
  void knockoutSweep_topKAgainstRandomK() {
    PromptRunner runner = runner(planted);
    RetrievalScores scores =
        new RetrievalScorer(runner, options(ScoringCompat.CORRECT)).score(tests);
    KnockoutSweep.Result result =
        new KnockoutSweep(
                runner,
                new KnockoutSweep.Options(
                    List.of(1, 3), 3, 42, HeadMaskOperator.QUERY_ZERO, MaskScope.DECODE_ONLY))
            .run(scores, fewPrompts);
    assertEquals(new Accuracy(fewPrompts.size(), fewPrompts.size()), result.baseline());

    KnockoutSweep.Point one = result.points().get(0);
    assertEquals(List.of(PlantedInductionModel.COPYING), one.topHeads());
    assertEquals(0, one.topAccuracy().correct());
    assertEquals(3, one.randomHeads().size());
    for (List<AttentionHead> draw : one.randomHeads()) {
      assertFalse(draw.contains(PlantedInductionModel.COPYING));
    }
    assertEquals(1.0, one.randomMean());
    assertEquals(1.0, one.randomMin());
    assertEquals(1.0, one.randomMax());
    assertNull(one.note());

    // Top 3: the copying head, then the zero-score heads by (layer, head); one head is left.
    KnockoutSweep.Point three = result.points().get(1);
    assertEquals(
        List.of(
            PlantedInductionModel.COPYING,
            PlantedInductionModel.PREVIOUS_TOKEN,
            PlantedInductionModel.SELF),
        three.topHeads());
    assertTrue(three.randomHeads().isEmpty());
    assertTrue(Double.isNaN(three.randomMean()));
    assertEquals(
        "only 1 heads are neither retrieval heads nor in the top 3, fewer than K=3: no random draws",
        three.note());
  }

  @Test
  void patching_theCopyingHeadFromTheIntactModel_restoresTheAnswers() {
    Map<String, Set<AttentionHead>> sets =
        ActivationPatching.standardHeadSets(
            Set.of(PlantedInductionModel.COPYING), Set.of(), PlantedInductionModel.config(), 1, 2,
            7);
    assertEquals(List.of("intersection", "reference-only", "random-0", "random-1"),
        List.copyOf(sets.keySet()));
    assertEquals(Set.of(), sets.get("intersection"));
    assertEquals(Set.of(PlantedInductionModel.COPYING), sets.get("reference-only"));
    for (String random : List.of("random-0", "random-1")) {
      assertEquals(1, sets.get(random).size());
      assertFalse(sets.get(random).contains(PlantedInductionModel.COPYING));
    }

    ActivationPatching patching =
        new ActivationPatching(
            planted, broken, TOKENIZER, MAX_NEW_TOKENS, ActivationPatching.Positions.ALL);
    List<ActivationPatching.Outcome> outcomes = patching.run(sets, fewPrompts);
    int n = fewPrompts.size();
    for (ActivationPatching.Outcome outcome : outcomes) {
      assertEquals(new Accuracy(n, n), outcome.reference());
      assertEquals(new Accuracy(0, n), outcome.target());
      assertNull(outcome.note());
    }
    assertEquals(0, outcomes.get(0).patched().correct()); // nothing patched
    assertEquals(0.0, outcomes.get(0).recovery());
    assertEquals(n, outcomes.get(1).patched().correct());
    assertEquals(1.0, outcomes.get(1).recovery());
    for (int random = 2; random < 4; random++) {
      assertEquals(0, outcomes.get(random).patched().correct());
      assertEquals(0.0, outcomes.get(random).recovery());
    }

    // The patched generation is the intact model's, token for token.
    for (TaskPrompt prompt : fewPrompts) {
      Generation patched = patching.generate(prompt.tokens(), Set.of(PlantedInductionModel.COPYING));
      Generation intact = runner(planted).run(prompt.tokens(), null);
      assertEquals(intact.text(), patched.text(), prompt.id());
    }
  }

  @Test
  void patching_promptPositionsOnly_restoresOnlyTheFirstAnswerToken() {
    // The copy happens at decode steps; patching the prompt positions (last prompt token
    // included) gets the first answer token right and nothing after it.
    ActivationPatching promptOnly =
        new ActivationPatching(
            planted, broken, TOKENIZER, MAX_NEW_TOKENS, ActivationPatching.Positions.PROMPT);
    for (TaskPrompt prompt : fewPrompts) {
      String text = promptOnly.generate(prompt.tokens(), Set.of(PlantedInductionModel.COPYING)).text();
      String answer = prompt.answers().get(0);
      assertEquals(answer.charAt(0), text.charAt(0), prompt.id());
      assertFalse(StringMatch.contains(text, answer), prompt.id() + ": " + text);
    }
    List<ActivationPatching.Outcome> outcomes =
        promptOnly.run(Map.of("copying", Set.of(PlantedInductionModel.COPYING)), fewPrompts);
    assertEquals(0.0, outcomes.get(0).recovery());
    assertNotNull(outcomes.get(0).reference());
  }
}
