package io.backupagents.sqlbackup.list;

import io.backupagents.common.logging.Units;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the list action prints: per location and tier, each backup with size, age and checksum. */
record TierReport(Instant now, List<Location> locations) {

  /** One place backups are kept: {@code local} (the volume) or {@code s3}. */
  record Location(String kind, String where, Map<Tier, List<Entry>> tiers) {}

  /**
   * One backup; {@code checksum} is {@code recorded} or {@code missing}, or after a check {@code
   * ok} or {@code mismatch}. {@code recipients} names the keys an encrypted backup is encrypted to
   * (read from its header where the file is local), empty for an unencrypted one.
   */
  record Entry(String name, long size, Instant time, String checksum, List<String> recipients) {
    static Entry of(StoredBackup b, String checked, List<String> recipients) {
      String status = checked != null ? checked : b.checksumRecorded() ? "recorded" : "missing";
      return new Entry(b.name().fileName(), b.size(), b.name().time(), status, recipients);
    }

    boolean encrypted() {
      return name.endsWith(BackupName.ENCRYPTED_SUFFIX);
    }

    String encryption() {
      if (!encrypted()) {
        return "";
      }
      return recipients.isEmpty()
          ? "  encrypted"
          : "  encrypted to " + String.join(", ", recipients);
    }
  }

  long mismatches() {
    return locations.stream()
        .flatMap(l -> l.tiers().values().stream())
        .flatMap(List::stream)
        .filter(e -> e.checksum().equals("mismatch"))
        .count();
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    for (Location l : locations) {
      for (Map.Entry<Tier, List<Entry>> t : l.tiers().entrySet()) {
        List<Entry> entries = t.getValue();
        long total = entries.stream().mapToLong(Entry::size).sum();
        sb.append(
            String.format(
                Locale.ROOT,
                "%s %s (%s/%s): %d %s, %s%n",
                l.kind(),
                t.getKey(),
                l.where(),
                t.getKey(),
                entries.size(),
                entries.size() == 1 ? "backup" : "backups",
                Units.bytes(total)));
        for (Entry e : entries) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  %-50s %10s %12s old  sha256 %s%s%n",
                  e.name(),
                  Units.bytes(e.size()),
                  age(Duration.between(e.time(), now)),
                  e.checksum(),
                  e.encryption()));
        }
      }
    }
    return sb.toString().stripTrailing();
  }

  String json() {
    return "{\"now\":\""
        + now
        + "\",\"locations\":["
        + locations.stream().map(TierReport::json).collect(Collectors.joining(","))
        + "]}";
  }

  private static String json(Location l) {
    String tiers =
        l.tiers().entrySet().stream()
            .map(
                t ->
                    quote(t.getKey().directoryName())
                        + ":["
                        + t.getValue().stream()
                            .map(TierReport::json)
                            .collect(Collectors.joining(","))
                        + "]")
            .collect(Collectors.joining(","));
    return "{\"kind\":"
        + quote(l.kind())
        + ",\"where\":"
        + quote(l.where())
        + ",\"tiers\":{"
        + tiers
        + "}}";
  }

  private static String json(Entry e) {
    return "{\"name\":"
        + quote(e.name())
        + ",\"size\":"
        + e.size()
        + ",\"time\":\""
        + e.time()
        + "\",\"checksum\":"
        + quote(e.checksum())
        + ",\"encrypted\":"
        + e.encrypted()
        + ",\"recipients\":["
        + e.recipients().stream().map(TierReport::quote).collect(Collectors.joining(","))
        + "]}";
  }

  /** A JSON string; names are restricted to safe characters, but quote properly anyway. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** {@code 3d 4h}, {@code 2h 5m}, {@code 12m}. */
  static String age(Duration d) {
    long m = Math.max(0, d.toMinutes());
    if (m >= 24 * 60) {
      return (m / (24 * 60)) + "d " + (m / 60 % 24) + "h";
    }
    return m >= 60 ? (m / 60) + "h " + (m % 60) + "m" : m + "m";
  }
}
