package io.backupagents.sqlbackup.source;

import io.backupagents.common.logging.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table {@code recover --list} prints: each backup with its size, age, checksum and copies. */
public final class BackupListing {

  private BackupListing() {}

  /** The lines of the table, newest backup first. */
  public static List<String> lines(List<FoundBackup> newestFirst, Instant now, String searched) {
    List<String> lines = new ArrayList<>();
    lines.add(
        newestFirst.size()
            + (newestFirst.size() == 1 ? " backup" : " backups")
            + " in "
            + searched
            + (newestFirst.isEmpty() ? "" : ", newest first:"));
    if (newestFirst.isEmpty()) {
      return lines;
    }
    int width = newestFirst.stream().mapToInt(b -> b.name().fileName().length()).max().orElse(4);
    String format = "%-" + width + "s  %10s  %8s  %-7s  %s";
    lines.add(String.format(Locale.ROOT, format, "NAME", "SIZE", "AGE", "SHA-256", "WHERE"));
    for (FoundBackup b : newestFirst) {
      lines.add(
          String.format(
              Locale.ROOT,
              format,
              b.name().fileName(),
              Units.bytes(b.size()),
              age(Duration.between(b.name().time(), now)),
              b.hasChecksum() ? "yes" : "-",
              b.copies().stream().map(BackupCopy::where).collect(Collectors.joining(", "))));
    }
    return lines;
  }

  /** A short age: {@code 45m}, {@code 5h07m}, {@code 3d04h}; negative ages read as 0m. */
  public static String age(Duration age) {
    long minutes = Math.max(0, age.toMinutes());
    if (minutes < 60) {
      return minutes + "m";
    }
    if (minutes < 48 * 60) {
      return String.format(Locale.ROOT, "%dh%02dm", minutes / 60, minutes % 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", minutes / (24 * 60), (minutes / 60) % 24);
  }
}
