package io.rhlab.workflows.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec failed validation; carries every error found, not just the first. */
public final class InvalidSpecException extends RuntimeException {
  /** The failure type Temporal records; workflows fail non-retryably with it. */
  public static final String TYPE = "InvalidSpec";

  private final List<SpecError> errors;

  public InvalidSpecException(List<SpecError> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  public List<SpecError> errors() {
    return errors;
  }

  /** One line per error, with a header giving the count. */
  public static String describe(List<SpecError> errors) {
    return "invalid experiment spec ("
        + errors.size()
        + (errors.size() == 1 ? " error" : " errors")
        + "):\n"
        + errors.stream().map(e -> "  - " + e).collect(Collectors.joining("\n"));
  }
}
