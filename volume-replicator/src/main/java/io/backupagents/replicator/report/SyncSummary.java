package io.backupagents.replicator.report;

import io.backupagents.common.logging.Units;
import java.time.Duration;
import java.util.Locale;

/** The end-of-run summary, laid out like {@code rsync --stats}. */
public final class SyncSummary {

  private SyncSummary() {}

  /** The summary lines for a run that took {@code elapsed}. */
  public static String render(RunStats s, Duration elapsed, boolean dryRun, boolean s3) {
    StringBuilder sb = new StringBuilder();
    line(
        sb,
        "Number of files",
        "%,d (reg: %,d, dir: %,d, link: %,d, special: %,d)",
        s.sourceFiles.sum()
            + s.sourceDirectories.sum()
            + s.sourceLinks.sum()
            + s.sourceSpecials.sum(),
        s.sourceFiles.sum(),
        s.sourceDirectories.sum(),
        s.sourceLinks.sum(),
        s.sourceSpecials.sum());
    line(
        sb,
        "Number of created files",
        "%,d (reg: %,d, dir: %,d, link: %,d)",
        s.createdFiles.sum() + s.createdDirectories.sum() + s.links.sum(),
        s.createdFiles.sum(),
        s.createdDirectories.sum(),
        s.links.sum());
    line(
        sb,
        "Number of deleted files",
        "%,d (reg: %,d, dir: %,d)%s",
        s.deletedFiles.sum() + s.deletedDirectories.sum(),
        s.deletedFiles.sum(),
        s.deletedDirectories.sum(),
        s.deletionRefusals.sum() > 0 ? " - deletions REFUSED" : "");
    line(
        sb,
        "Number of regular files transferred",
        "%,d%s",
        s.copiedFiles.sum(),
        dryRun
            ? String.format(Locale.ROOT, " (dry run: %,d would be)", s.plannedCopies.sum())
            : "");
    line(sb, "Number of unchanged files", "%,d", s.unchanged.sum());
    line(
        sb,
        "Number of attribute-only updates",
        "%,d (mode/owner: %,d, time: %,d)",
        s.attributeUpdates.sum() + s.timeUpdates.sum(),
        s.attributeUpdates.sum(),
        s.timeUpdates.sum());
    line(sb, "Total file size", "%s", Units.bytes(s.sourceBytes.sum()));
    line(sb, "Total transferred file size", "%s", Units.bytes(s.copiedBytes.sum()));
    line(sb, "Skipped (specials, symlinks to S3)", "%,d", s.skipped.sum());
    line(sb, "Vanished or changed while copied", "%,d", s.vanished.sum());
    line(
        sb,
        "Errors",
        "%,d (copy: %,d, read/list: %,d)",
        s.errors.sum() + s.readErrors.sum(),
        s.errors.sum(),
        s.readErrors.sum());
    line(sb, "Warnings", "%,d (refused chown: %,d)", s.warnings.sum(), s.ownerRefusals.sum());
    if (s3) {
      line(
          sb,
          "S3 requests",
          "%,d (list: %,d, head: %,d, put: %,d, get: %,d, copy: %,d, delete: %,d;"
              + " manifest vouched for %,d)",
          s.s3Requests(),
          s.s3Lists.sum(),
          s.s3Heads.sum(),
          s.s3Puts.sum(),
          s.s3Gets.sum(),
          s.s3Copies.sum(),
          s.s3Deletes.sum(),
          s.manifestHits.sum());
    }
    double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
    line(
        sb,
        "Total time",
        "%.1f s, %s/s",
        seconds,
        Units.bytes((long) (s.copiedBytes.sum() / seconds)));
    return sb.toString();
  }

  @SuppressWarnings("AnnotateFormatMethod") // every caller passes a constant format
  private static void line(StringBuilder sb, String label, String format, Object... args) {
    sb.append(label).append(": ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
