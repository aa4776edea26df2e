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
  // A repeated key would be last-one-wins: a reviewer reads one value, the run uses another.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
      return single(mapper, mapper.getFactory().createParser(in));
    }
  }

  /** The one document of a file; a second YAML document ('---') is an error, not ignored. */
  private static JsonNode single(ObjectMapper mapper, com.fasterxml.jackson.core.JsonParser parser)
      throws IOException {
    try (parser) {
      JsonNode tree = mapper.readTree(parser);
      if (parser.nextToken() != null) {
        throw new IOException("a spec is one document; found more after line "
            + parser.currentLocation().getLineNr());
      }
      return tree;
    }
  }

  /** Reads JSON or YAML text (YAML is a superset of JSON). */
  public static JsonNode parse(String text) throws IOException {
    return single(YAML, YAML.getFactory().createParser(text));
  }
}
