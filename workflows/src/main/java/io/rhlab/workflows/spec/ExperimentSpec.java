package io.rhlab.workflows.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What a user asks rhlab to run: one JSON (or YAML) object, the single argument of the experiment
 * workflow. Parsing validates everything and lists every error; it never throws anything but
 * {@link InvalidSpecException}, so a bad spec fails the workflow at once instead of wedging a
 * worker in a decode loop.
 *
 * @param name a label for people and dashboards
 * @param seed default seed of every variant's data
 * @param maxParallelVariants how many variant workflows run at once
 * @param model the base model the variants fine-tune; null when no variant trains
 * @param variants the arms of the experiment, names unique
 * @param analysis the retrieval-head science on the trained variants; null: none
 */
public record ExperimentSpec(
    String name, long seed, int maxParallelVariants, ModelSpec model, List<VariantSpec> variants,
    AnalysisSpec analysis) {

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** Validates a decoded spec. */
  public static ExperimentSpec parse(JsonNode json) {
    List<SpecError> errors = new ArrayList<>();
    SpecReader r = SpecReader.root(json, errors);
    if (r == null) {
      throw new InvalidSpecException(errors);
    }
    String name = r.name("name", null);
    long seed = r.longValue("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    int parallel = r.integer("maxParallelVariants", 2, 1, 64);
    ModelSpec model = null;
    if (r.has("model")) {
      SpecReader m = r.object("model");
      if (m != null) {
        model = ModelSpec.read(m);
        m.finish();
      }
    } else {
      r.object("model");
    }
    List<VariantSpec> variants = r.objects("variants", 1, 64, v -> VariantSpec.read(v, seed));
    if (model == null && variants.stream().anyMatch(v -> v.train() != null)) {
      r.error("model", "is required when a variant has a train section");
    }
    AnalysisSpec analysis = null;
    if (r.has("analysis")) {
      SpecReader a = r.object("analysis");
      if (a != null) {
        analysis = AnalysisSpec.read(a, seed, variants);
        a.finish();
      }
    } else {
      r.object("analysis"); // marks the field as read
    }
    Set<String> names = new HashSet<>();
    List<JsonNode> raw = new ArrayList<>();
    if (json.path("variants").isArray()) {
      json.path("variants").forEach(raw::add);
    }
    for (int i = 0; i < raw.size(); i++) {
      String n = raw.get(i).path("name").asText(null);
      if (n != null && !names.add(n)) {
        SpecReader.add(errors, new SpecError("variants[" + i + "].name", "\"" + n + "\"", "duplicates an earlier variant"));
      }
    }
    r.finish();
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
    return new ExperimentSpec(name, seed, parallel, model, List.copyOf(variants), analysis);
  }

  /** The spec with every default filled in, as canonical JSON: what is stored and hashed. */
  public String toCanonicalJson() {
    return canonicalJson(this);
  }

  public VariantSpec variant(String name) {
    return variants.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
  }

  /** Canonical JSON of any spec part: record fields in declaration order, maps sorted. */
  public static String canonicalJson(Object specPart) {
    try {
      return CANONICAL.writeValueAsString(specPart);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("spec parts are plain records", e);
    }
  }

  /** Hex sha256 of a string's UTF-8 bytes. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
