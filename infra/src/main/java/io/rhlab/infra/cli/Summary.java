package io.rhlab.infra.cli;

import io.rhlab.db.ArtifactStore;
import io.rhlab.db.Database;
import io.rhlab.db.StageRunStore;
import io.rhlab.workflows.experiment.ExperimentResult;
import io.rhlab.workflows.variant.VariantResult;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;

/** What a finished experiment produced and where to find it. */
final class Summary {
  private Summary() {}

  static void print(PrintWriter out, ExperimentResult r, Database db) {
    var artifacts = new ArtifactStore(db.dataSource()).byExperiment(r.experimentId());
    var stages = new StageRunStore(db.dataSource()).list(r.experimentId());
    out.println();
    out.println("experiment " + r.experimentId() + " completed (spec sha256 " + r.specSha256().substring(0, 12) + ")");
    out.printf("%-14s %9s %6s %11s  %-14s %s%n", "variant", "examples", "parts", "bytes", "sha256", "data");
    for (VariantResult v : r.variants()) {
      var d = v.data();
      out.printf("%-14s %9d %6d %11d  %-14s %s%s%n", v.variant(), d.examples(), d.parts(), d.bytes(),
          d.sha256().substring(0, 12), d.manifestUri(), d.reused() ? "  (reused)" : "");
    }
    if (r.variants().stream().anyMatch(v -> v.evaluation() != null)) {
      out.println();
      out.printf("%-14s %6s %9s %9s %9s  %s%n", "variant", "steps", "exact", "value", "chance", "model");
      for (VariantResult v : r.variants()) {
        if (v.evaluation() != null) {
          var e = v.evaluation();
          out.printf("%-14s %6d %9.3f %9.3f %9.3f  %s%s%n", v.variant(), v.model().step(), e.exactAccuracy(),
              e.valueAccuracy(), e.chance(), v.model().manifestUri(), v.model().reused() ? "  (reused)" : "");
        }
      }
      out.println("(held-out key-value prompts; exact: the whole answer right; value: the gold value stated;"
          + " chance: picking one of the prompt's values)");
    }
    out.println();
    if (r.report() != null) {
      out.println();
      out.println("report: " + r.report().reportUri() + " (text: report.txt beside it)");
      out.println("summary: " + r.report().summaryUri() + " (sha256 " + r.report().summarySha256().substring(0, 12) + ")");
    }
    out.println("PostgreSQL: " + stages.size() + " stage_runs rows, " + artifacts.size()
        + " artifacts rows for this experiment (tables experiments, variants, stage_runs, artifacts)");
    out.flush();
  }

  /** The innermost application failure's message: what the workflow said went wrong. */
  static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) {
        message = af.getOriginalMessage();
      }
    }
    return message;
  }
}
