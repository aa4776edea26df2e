package io.rhlab.infra.cli;

import io.rhlab.activities.storage.AbandonedUploads;
import io.rhlab.activities.storage.StorageException;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.RhlabConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a worker does at start, on demand: abort old incomplete multipart uploads. */
@Command(
    name = "clean-uploads",
    description = "Abort incomplete multipart uploads under data/ and ckpt/ older than an age"
        + " (what every worker does when it starts).")
final class CleanUploadsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--older-than-hours", paramLabel = "HOURS",
      description = "Only uploads initiated more than HOURS ago, 1..8760; default RHLAB_S3_ABANDONED_UPLOAD_HOURS (24).")
  Integer hours;

  @Option(names = "--dry-run", description = "List what would be aborted; abort nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    var out = command.commandLine().getOut();
    var err = command.commandLine().getErr();
    RhlabConfig cfg = RhlabConfig.fromEnvironment();
    if (cfg.s3() == null) {
      throw new ConfigException("RHLAB_S3_ENDPOINT is not set: clean-uploads works on a running S3 server");
    }
    // 0 would abort uploads in flight this very moment: the CLI asks for at least an hour
    if (hours != null && (hours < 1 || hours > 8760)) {
      err.println("--older-than-hours must be an integer in [1, 8760], got " + hours);
      return ExitCodes.USAGE;
    }
    Duration age = hours != null ? Duration.ofHours(hours) : cfg.abandonedUploadAge();
    if (age.isZero()) {
      err.println("RHLAB_S3_ABANDONED_UPLOAD_HOURS is 0 (cleanup off): give --older-than-hours");
      return ExitCodes.USAGE;
    }
    try (AbandonedUploads uploads = AbandonedUploads.open(cfg.s3())) {
      List<AbandonedUploads.Upload> old = uploads.olderThan(age, Instant.now());
      for (AbandonedUploads.Upload u : old) {
        if (!dryRun) {
          uploads.abort(u);
        }
        out.println((dryRun ? "would abort " : "aborted ") + u.key() + "  upload " + u.uploadId()
            + "  initiated " + u.initiated());
      }
      out.println(old.size() + " incomplete upload(s) older than " + age.toHours() + " h"
          + (dryRun ? " (dry run, nothing aborted)" : " aborted"));
      return ExitCodes.OK;
    } catch (StorageException e) {
      err.println("S3 at " + cfg.s3().endpoint() + ": " + e.getMessage());
      return ExitCodes.ENVIRONMENT;
    }
  }
}
