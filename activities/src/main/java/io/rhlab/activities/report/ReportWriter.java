package io.rhlab.activities.report;

import io.rhlab.workflows.activities.KnockoutCurve;
import io.rhlab.workflows.activities.PatchingOutcome;
import io.rhlab.workflows.activities.ScoredHead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link ExperimentSummary} as plain text (for terminals and CI logs) and as one
 * self-contained HTML page with its charts inlined (for people).
 */
public final class ReportWriter {
  private ReportWriter() {}

  /** The findings as aligned plain text. */
  public static String text(ExperimentSummary s) {
    StringBuilder out = new StringBuilder();
    out.append("Experiment ").append(s.experimentId()).append(" (reference variant: ")
        .append(s.reference()).append(")\n\n");
    for (ExperimentSummary.Variant v : s.variants()) {
      out.append("== ").append(v.name()).append('\n');
      if (v.ownTask() != null) {
        out.append(fmt("  own task accuracy        %.3f%n", v.ownTask()));
      }
      out.append(fmt("  retrieval heads          %d of %d (%.1f%%), from %d of %d detection prompts answered right%n",
          v.retrievalHeads(), v.totalHeads(), 100 * v.retrievalShare(), v.detectionAccepted(), v.detectionTests()));
      out.append("  top heads                ").append(heads(v.topHeads())).append('\n');
      out.append(fmt("  knockout (baseline %.3f) %s%n", v.knockout().baseline(), ""));
      for (KnockoutCurve.Point p : v.knockout().points()) {
        out.append(fmt("    K=%-3d top-K %.3f   random-K %.3f (min %.3f, max %.3f, %d draws)%n",
            p.k(), p.top(), p.randomMean(), p.randomMin(), p.randomMax(), p.draws()));
      }
      out.append("  recall of reference      ").append(v.recall() == null ? "undefined" : fmt("%.3f", v.recall()))
          .append('\n');
      out.append(fmt("  downstream accuracy      %.3f  %s%n", v.downstream(), slices(v.downstreamBySlice())));
      if (v.patching() != null) {
        PatchingOutcome p = v.patching();
        out.append(fmt("  patching from %s: own %.3f, reference %.3f%n", p.reference(), p.target(), p.referenceMetric()));
        for (PatchingOutcome.Point q : p.points()) {
          out.append(fmt("    %-15s %2d heads  patched %.3f  recovery %s%n", q.headSet(), q.heads(), q.patched(),
              q.recovery() == null ? "undefined" : fmt("%.2f", q.recovery())));
        }
      }
      out.append('\n');
    }
    out.append("Spearman(recall, downstream) over variants: ")
        .append(s.spearman() == null ? "undefined" : fmt("%.3f", s.spearman()));
    if (s.spearmanInterval() != null) {
      out.append(fmt(" (95%% bootstrap %.3f .. %.3f)", s.spearmanInterval()[0], s.spearmanInterval()[1]));
    }
    return out.append('\n').toString();
  }

  /** One HTML page: the text findings, then the charts as inline PNG images. */
  public static String html(ExperimentSummary s) {
    StringBuilder page = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>rhlab report ")
        .append(escape(s.experimentId())).append("</title><style>body{font-family:sans-serif;margin:2em}"
            + "pre{background:#f6f6f6;padding:1em}img{margin:.5em}</style></head><body>")
        .append("<h1>").append(escape(s.experimentId())).append("</h1><pre>").append(escape(text(s)))
        .append("</pre>");
    List<String> charts = new ArrayList<>();
    String failure = null;
    try {
      List<String> names = new ArrayList<>();
      List<Double> recall = new ArrayList<>();
      List<Double> downstream = new ArrayList<>();
      for (ExperimentSummary.Variant v : s.variants()) {
        charts.add(image(ReportCharts.knockout(v.name(), v.knockout())));
        charts.add(image(ReportCharts.headScores(v.name(), v.allHeads())));
        names.add(v.name());
        recall.add(v.recall());
        downstream.add(v.downstream());
      }
      charts.add(image(ReportCharts.recallVersusDownstream(names, recall, downstream)));
    } catch (IOException | RuntimeException | Error e) {
      // A JVM without AWT or fonts cannot draw; the numbers above are the report, so say so.
      failure = e.toString();
    }
    page.append("<h2>Charts</h2>");
    if (failure != null) {
      page.append("<p>Charts could not be drawn on this worker: ").append(escape(failure)).append("</p>");
    }
    charts.forEach(page::append);
    return page.append("</body></html>").toString();
  }

  private static String image(byte[] png) {
    return "<img alt=\"chart\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
  }

  private static String heads(List<ScoredHead> heads) {
    if (heads.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    heads.forEach(h -> parts.add(h.label() + fmt(" (%.2f)", h.score())));
    return String.join(", ", parts);
  }

  private static String slices(Map<String, Double> slices) {
    if (slices == null || slices.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    slices.forEach((k, v) -> parts.add(k + " " + fmt("%.3f", v)));
    return "[" + String.join(", ", parts) + "]";
  }

  private static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
