package io.rhlab.workflows.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The knockout sweep: for each K, the top-K retrieval heads against K random non-retrieval heads.
 *
 * @param ks the sweep of K, ascending, distinct
 * @param draws random head sets per K (seeded)
 * @param examples prompts per evaluation
 * @param operator query-zero (uniform attention, the paper's operator), zero or mean output
 * @param scope decode (masked at decode steps only, as in the paper) or everywhere
 * @param seed the seed of the random draws
 */
public record KnockoutSpec(List<Integer> ks, int draws, int examples, String operator, String scope, long seed) {
  public static final List<String> OPERATORS = List.of("query-zero", "zero", "mean");
  public static final List<String> SCOPES = List.of("decode", "everywhere");

  static KnockoutSpec read(SpecReader r, long seed) {
    List<Integer> ks = r.integers("ks", List.of(1, 2, 4), 1, 32, 1, 1_000_000);
    List<Integer> sorted = new ArrayList<>(ks);
    sorted.sort(null);
    if (!sorted.equals(ks) || ks.stream().distinct().count() != ks.size()) {
      r.error("ks", "must be distinct and ascending");
    }
    int draws = r.integer("draws", 3, 1, 100);
    int examples = r.integer("examples", 40, 1, 100_000);
    String operator = r.choice("operator", "query-zero", OPERATORS);
    String scope = r.choice("scope", "decode", SCOPES);
    long s = r.longValue("seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
    return new KnockoutSpec(List.copyOf(ks), draws, examples, operator, scope, s);
  }
}
