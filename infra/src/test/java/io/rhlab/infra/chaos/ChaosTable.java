package io.rhlab.infra.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fault x outcome table: one row per faulted run, printed and written under target/. */
final class ChaosTable {
  /**
   * One faulted run.
   *
   * @param fault what was done
   * @param faultAt where the run was when it was done, e.g. {@code big 12/30}
   * @param completed the experiment ended completed (workflow result and experiments row)
   * @param identicalHash every dataset's sha256 (result, and parts re-read from S3) equals an
   *     uninterrupted generation's
   * @param duplicates rows or objects beyond one per natural key (0 is the only good answer)
   * @param resumedFrom the part the finishing attempt started from (never 0 after a fault)
   * @param outageS how long the service was gone (or the worker, until its replacement was ready)
   * @param recoverS from healing (service back, new worker ready, re-submission) to the first new
   *     part stored
   * @param totalS submission to completion
   */
  record Row(
      String fault,
      String faultAt,
      boolean completed,
      boolean identicalHash,
      int duplicates,
      long resumedFrom,
      double outageS,
      double recoverS,
      double totalS,
      String notes) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row r) {
    rows.add(r);
    System.out.println("[chaos] " + line(r));
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** A markdown table of every row, then one summary line per fault kind. */
  synchronized String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| fault | fault at | completed | identical hash | duplicate rows | resumed from | outage s | recover s | total s | notes |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(line(r)).append('\n');
    }
    sb.append("\n| fault | runs | completed | identical hash | duplicate rows found | time to recover s (max) |\n");
    sb.append("|---|---|---|---|---|---|\n");
    rows.stream().map(Row::fault).distinct().forEach(f -> {
      List<Row> of = rows.stream().filter(r -> r.fault().equals(f)).toList();
      sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f |%n", f, of.size(),
          of.stream().filter(Row::completed).count(), of.stream().filter(Row::identicalHash).count(),
          of.stream().mapToInt(Row::duplicates).sum(), of.stream().mapToDouble(Row::recoverS).max().orElse(0)));
    });
    return sb.toString();
  }

  private static String line(Row r) {
    return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %.1f | %.1f | %.1f | %s |",
        r.fault(), r.faultAt(), r.completed() ? "yes" : "NO", r.identicalHash() ? "yes" : "NO",
        r.duplicates(), r.resumedFrom(), r.outageS(), r.recoverS(), r.totalS(), r.notes());
  }

  void write(Path file, String header) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, header + "\n\n" + markdown());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
