package io.rhlab.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a spec file, JSON or YAML (by extension), into a tree for {@link ExperimentSpec#parse}. */
public final class SpecFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A spec file may not be larger than this; specs are small, hostile files are not. */
  static final long MAX_BYTES = 1 << 20;

  private SpecFiles() {}

  public static JsonNode read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + " is larger than " + MAX_BYTES + " bytes; a spec is a small file");
    }
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper = n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
    try (InputStream in = Files.newInputStream(file)) {
      return mapper.readTree(in);
    }
  }

  /** Reads JSON or YAML text (YAML is a superset of JSON). */
  public static JsonNode parse(String text) throws IOException {
    return YAML.readTree(text);
  }
}
