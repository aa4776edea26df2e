package io.rhlab.workflows.spec;

/**
 * One problem with a submitted spec.
 *
 * @param path the field, e.g. {@code variants[1].data.dictionaries}
 * @param value the offending value as JSON text, or null when the field is missing
 * @param message what is allowed, e.g. {@code must be an integer in [1, 1000]}
 */
public record SpecError(String path, String value, String message) {
  @Override
  public String toString() {
    return value == null ? path + ": " + message : path + " = " + value + ": " + message;
  }
}
