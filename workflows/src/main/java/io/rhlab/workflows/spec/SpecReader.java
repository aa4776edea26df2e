package io.rhlab.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads one JSON object of a spec field by field, collecting errors instead of throwing, so that a
 * user sees every bad field at once. Fields not read by the time {@link #finish()} runs are
 * reported as unknown. Decoding never throws on bad input: this runs inside workflow code.
 */
final class SpecReader {
  /** Names become object-store keys and workflow ids: keep them to a safe alphabet. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  static final String NAME_RULE = "must match [a-z0-9][a-z0-9-]{0,62}";

  private final JsonNode node;
  private final String path;
  private final List<SpecError> errors;
  private final Set<String> read = new HashSet<>();

  SpecReader(JsonNode node, String path, List<SpecError> errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  /** A reader for the root, or null (with an error) when the root is not an object. */
  static SpecReader root(JsonNode node, List<SpecError> errors) {
    if (node == null || !node.isObject()) {
      add(errors, new SpecError("spec", shorten(node), "must be a JSON object"));
      return null;
    }
    return new SpecReader(node, "", errors);
  }

  /** At most this many errors are kept; a hostile spec must not make a megabyte failure. */
  static final int MAX_ERRORS = 200;

  String path(String field) {
    // field names come from the input: echo at most 64 characters of one
    String f = field.length() <= 64 ? field : field.substring(0, 61) + "...";
    return path.isEmpty() ? f : path + "." + f;
  }

  /** Adds an error unless the list is full; the last slot says how many were left out. */
  static void add(List<SpecError> errors, SpecError e) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(e);
    } else if (errors.size() == MAX_ERRORS) {
      errors.add(new SpecError("spec", null, "more errors left out after the first " + MAX_ERRORS));
    }
  }

  void error(String field, String message) {
    JsonNode v = node.get(field);
    add(errors, new SpecError(path(field), v == null ? null : shorten(v), message));
  }

  private JsonNode field(String name) {
    read.add(name);
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  /**
   * A field that only another choice may set. Absent or null is fine - the canonical form writes
   * every field, null included, and must parse back - a value is an error naming the rule.
   */
  void absent(String field, String rule) {
    if (field(field) != null) {
      error(field, rule);
    }
  }

  String name(String field, String fallback) {
    JsonNode v = field(field);
    if (v == null) {
      if (fallback == null) {
        error(field, "is required; " + NAME_RULE);
      }
      return fallback;
    }
    if (!v.isTextual() || !NAME.matcher(v.asText()).matches()) {
      error(field, NAME_RULE);
      return fallback;
    }
    return v.asText();
  }

  int integer(String field, int fallback, int min, int max) {
    return (int) longValue(field, fallback, min, max);
  }

  long longValue(String field, long fallback, long min, long max) {
    JsonNode v = field(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      error(field, "must be an integer in [" + min + ", " + max + "]");
      return fallback;
    }
    return v.asLong();
  }

  double number(String field, double fallback, double min, double max) {
    JsonNode v = field(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
      error(field, "must be a number in [" + min + ", " + max + "]");
      return fallback;
    }
    return v.asDouble();
  }

  /**
   * A list of 1 to {@code maxSize} distinct integers, each in [min, max]; one error names the field
   * when any element is wrong, so a hostile list cannot produce thousands of messages.
   */
  List<Integer> integers(String field, List<Integer> fallback, int maxSize, int min, int max) {
    JsonNode v = field(field);
    if (v == null) {
      return fallback;
    }
    String rule = "must be a list of 1 to " + maxSize + " distinct integers in [" + min + ", " + max + "]";
    if (!v.isArray() || v.isEmpty() || v.size() > maxSize) {
      error(field, rule);
      return fallback;
    }
    List<Integer> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToLong() || e.asLong() < min || e.asLong() > max
          || out.contains(e.asInt())) {
        error(field, rule);
        return fallback;
      }
      out.add(e.asInt());
    }
    return List.copyOf(out);
  }

  /** A text field that must match a pattern; {@code rule} says what is allowed. */
  String text(String field, String fallback, Pattern allowed, String rule) {
    JsonNode v = field(field);
    if (v == null) {
      if (fallback == null) {
        error(field, "is required; " + rule);
      }
      return fallback;
    }
    if (!v.isTextual() || !allowed.matcher(v.asText()).matches()) {
      error(field, rule);
      return fallback;
    }
    return v.asText();
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  boolean bool(String field, boolean fallback) {
    JsonNode v = field(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      error(field, "must be true or false");
      return fallback;
    }
    return v.asBoolean();
  }

  /** A text field restricted to a fixed set of choices. */
  String choice(String field, String fallback, List<String> choices) {
    JsonNode v = field(field);
    if (v == null) {
      if (fallback == null) {
        error(field, "is required; one of " + choices);
      }
      return fallback;
    }
    if (!v.isTextual() || !choices.contains(v.asText())) {
      error(field, "must be one of " + choices);
      return fallback;
    }
    return v.asText();
  }

  /** A nested object; an absent one reads as empty (all defaults). Null if it is not an object. */
  SpecReader object(String field) {
    JsonNode v = field(field);
    if (v == null) {
      return new SpecReader(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), path(field), errors);
    }
    if (!v.isObject()) {
      error(field, "must be an object");
      return null;
    }
    return new SpecReader(v, path(field), errors);
  }

  /** A list of objects, each read by {@code element}; null elements are skipped with an error. */
  <T> List<T> objects(String field, int minSize, int maxSize, Function<SpecReader, T> element) {
    JsonNode v = field(field);
    List<T> out = new ArrayList<>();
    if (v == null || !v.isArray() || v.size() < minSize || v.size() > maxSize) {
      error(field, "must be a list of " + minSize + " to " + maxSize + " objects");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = path(field) + "[" + i + "]";
      if (!e.isObject()) {
        add(errors, new SpecError(p, shorten(e), "must be an object"));
        continue;
      }
      SpecReader r = new SpecReader(e, p, errors);
      T t = element.apply(r);
      r.finish();
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** A list of integers, each in [min, max]; the fallback when the field is absent. */
  List<Integer> integers(String field, List<Integer> fallback, int minSize, int maxSize, int min, int max) {
    JsonNode v = field(field);
    if (v == null) {
      return fallback;
    }
    String rule = "must be a list of " + minSize + " to " + maxSize + " integers in [" + min + ", " + max + "]";
    if (!v.isArray() || v.size() < minSize || v.size() > maxSize) {
      error(field, rule);
      return fallback;
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < min || e.asInt() > max) {
        add(errors, new SpecError(path(field), shorten(v), rule));
        return fallback;
      }
      out.add(e.asInt());
    }
    return out;
  }

  /** Reports every field that nothing read. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!read.contains(f)) {
        error(f, "unknown field");
      }
    }
  }

  /** Values are echoed in messages; a hostile megabyte string must not be. */
  static String shorten(JsonNode v) {
    if (v == null) {
      return "null";
    }
    String s = v.toString();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
