package io.rhlab.workflows.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The retrieval-head science run on every trained variant (seeds 000 and 001): evaluation sets
 * are synthesized once per experiment; each variant's model is evaluated downstream, its retrieval
 * heads detected and knocked out; the reference variant's head outputs are patched into the
 * others; and recall of the reference's heads is correlated with the downstream score.
 *
 * @param reference the variant whose heads the others are compared with (the real-data variant)
 * @param sets evaluation sets: data-only variant specs (name, task, data), synthesized once
 * @param detectionSet the set retrieval heads are scored on (and knocked out on)
 * @param downstreamSet the set whose accuracy is the downstream score (and patching's metric)
 * @param downstreamExamples prompts of the downstream set per evaluation
 */
public record AnalysisSpec(
    String reference,
    List<VariantSpec> sets,
    String detectionSet,
    DetectionSpec detection,
    String downstreamSet,
    int downstreamExamples,
    KnockoutSpec knockout,
    PatchingSpec patching) {

  static AnalysisSpec read(SpecReader r, long seed, List<VariantSpec> variants) {
    String reference = r.name("reference", null);
    List<VariantSpec> sets = r.objects("sets", 1, 8, s -> {
      VariantSpec set = VariantSpec.read(s, seed);
      if (set != null && set.train() != null) {
        s.error("train", "an evaluation set is data only");
      }
      return set;
    });
    Set<String> names = new HashSet<>();
    for (VariantSpec s : sets) {
      if (!names.add(s.name())) {
        r.error("sets", "duplicate set name \"" + s.name() + "\"");
      }
    }
    // absent sections read as empty objects: the defaults, and "set is required" errors
    SpecReader d = r.object("detection");
    String detectionSet = null;
    DetectionSpec detection = DetectionSpec.DEFAULTS;
    if (d != null) {
      detectionSet = d.name("set", null);
      detection = DetectionSpec.read(d);
      d.finish();
      requireSet(d, detectionSet, names);
    }
    SpecReader ds = r.object("downstream");
    String downstreamSet = null;
    int downstreamExamples = 40;
    if (ds != null) {
      downstreamSet = ds.name("set", null);
      downstreamExamples = ds.integer("examples", 40, 1, 100_000);
      ds.finish();
      requireSet(ds, downstreamSet, names);
    }
    SpecReader k = r.object("knockout");
    KnockoutSpec knockout = null;
    if (k != null) {
      knockout = KnockoutSpec.read(k, seed);
      k.finish();
    }
    SpecReader p = r.object("patching");
    PatchingSpec patching = null;
    if (p != null) {
      patching = PatchingSpec.read(p, seed);
      p.finish();
    }
    if (reference != null
        && variants.stream().noneMatch(v -> v.name().equals(reference) && v.train() != null)) {
      r.error("reference", "must name a variant that has a train section");
    }
    return new AnalysisSpec(reference, List.copyOf(sets), detectionSet, detection, downstreamSet,
        downstreamExamples, knockout, patching);
  }

  /** The evaluation set of that name. */
  public VariantSpec set(String name) {
    return sets.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static void requireSet(SpecReader r, String name, Set<String> names) {
    if (name != null && !names.contains(name)) {
      r.error("set", "must name one of the analysis sets " + names);
    }
  }
}
