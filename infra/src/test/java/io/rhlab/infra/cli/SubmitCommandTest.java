package io.rhlab.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI rejects a bad spec before contacting any service, naming each bad field. */
class SubmitCommandTest {
  @TempDir Path dir;

  @Test
  void submit_invalidYamlSpec_exits2AndNamesEveryField() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, """
        name: Bad_Name
        variants:
          - name: a
            data:
              examples: 0
              dictionary: 5
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RhlabCommand.run(new PrintWriter(out), new PrintWriter(err), "submit", spec.toString());
    assertEquals(ExitCodes.USAGE, code);
    assertEquals(
        "invalid experiment spec (3 errors):\n"
            + "  - name = \"Bad_Name\": must match [a-z0-9][a-z0-9-]{0,62}\n"
            + "  - variants[0].data.examples = 0: must be an integer in [1, 1000000]\n"
            + "  - variants[0].data.dictionary = 5: unknown field\n",
        err.toString());
    assertEquals("", out.toString(), "nothing was started");
  }

  @Test
  void submit_unreadableSpec_exits2() {
    StringWriter err = new StringWriter();
    int code = RhlabCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "submit", dir.resolve("missing.json").toString());
    assertEquals(ExitCodes.USAGE, code);
    assertTrue(err.toString().startsWith("cannot read spec"), err.toString());
  }

  @Test
  void demoSpec_isValid() throws Exception {
    var spec = io.rhlab.workflows.spec.ExperimentSpec.parse(DemoCommand.demoSpec());
    assertEquals("demo", spec.name());
    assertEquals(5, spec.variants().size());
    assertEquals(4, spec.variants().stream().filter(v -> v.train() != null).count(), "trained variants");
    assertEquals("kv-plain", spec.analysis().reference());
  }

  @Test
  void paperPreset_isValid() throws Exception {
    var spec = io.rhlab.workflows.spec.ExperimentSpec.parse(DemoCommand.presetSpec(DemoCommand.Preset.paper));
    assertEquals("paper", spec.name());
    assertEquals("mdqa-real", spec.analysis().reference());
    assertEquals("niah", spec.analysis().set(spec.analysis().detectionSet()).task());
  }
}
