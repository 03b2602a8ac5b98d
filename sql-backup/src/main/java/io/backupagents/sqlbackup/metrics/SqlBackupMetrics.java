package io.backupagents.sqlbackup.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter the sql-backup agent reports besides the launcher's run metrics, with its name and
 * meaning in one place (the README table is generated from {@link #METERS}). Each is a gauge
 * holding this run's value, as a run is pushed once, at its end; labels are low-cardinality only
 * (phase, tier, location, database).
 */
public final class SqlBackupMetrics {

  /** A meter as Prometheus shows it. */
  public record Meter(String name, String labels, String meaning) {}

  public static final List<Meter> METERS =
      List.of(
          new Meter(
              "sql_backup_phase_duration_seconds",
              "phase",
              "wall time of each phase of the last run: lock_wait, dump, rotation, upload; and"
                  + " compress: time the compression threads were busy, summed over threads"),
          new Meter(
              "sql_backup_backup_size_bytes",
              "database",
              "size of the backup file the last hourly run wrote (dumpall or the database)"),
          new Meter(
              "sql_backup_dump_size_bytes",
              "database",
              "what pg_dump/pg_dumpall wrote before compression"),
          new Meter(
              "sql_backup_dump_warnings",
              "database",
              "warning lines pg_dump printed (logged, not failures)"),
          new Meter(
              "sql_backup_retained_backups",
              "tier, location",
              "backups each tier holds after the run, on the volume (local) and in the bucket (s3)"),
          new Meter("sql_backup_retained_size_bytes", "tier, location", "their total size"),
          new Meter(
              "sql_backup_newest_backup_timestamp_seconds",
              "tier, location",
              "time (from its name) of the newest backup in each tier: alert on its age"),
          new Meter(
              "sql_backup_promoted_backups", "", "backups the last run promoted into its tier"),
          new Meter(
              "sql_backup_pruned_backups", "location", "backups the last run's rotation deleted"),
          new Meter("sql_backup_uploaded_objects", "", "objects the last run uploaded to S3"),
          new Meter("sql_backup_uploaded_size_bytes", "", "bytes the last run uploaded to S3"),
          new Meter(
              "sql_backup_deleted_objects",
              "location",
              "objects the off-site mirror deleted because the root no longer has them"),
          new Meter(
              "sql_backup_guard_refusals",
              "",
              "1 when the deletion guard refused the last run's deletions, else 0"));

  /** The README's table of these meters. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| metric | labels | meaning |\n|---|---|---|\n");
    for (Meter m : METERS) {
      sb.append("| `")
          .append(m.name())
          .append("` | ")
          .append(m.labels())
          .append(" | ")
          .append(m.meaning())
          .append(" |\n");
    }
    return sb.toString();
  }

  private final MeterRegistry registry;
  private final Map<String, double[]> values = new ConcurrentHashMap<>();

  public SqlBackupMetrics(MeterRegistry registry) {
    this.registry = registry;
    set("sql.backup.guard.refusals", Tags.empty(), null, 0);
  }

  public void phase(String phase, Duration duration) {
    set("sql.backup.phase.duration", Tags.of("phase", phase), "seconds", seconds(duration));
  }

  public void backupSize(String database, long bytes) {
    set("sql.backup.backup.size", Tags.of("database", database), "bytes", bytes);
  }

  public void dumpSize(String database, long bytes) {
    set("sql.backup.dump.size", Tags.of("database", database), "bytes", bytes);
  }

  public void dumpWarnings(String database, int lines) {
    set("sql.backup.dump.warnings", Tags.of("database", database), null, lines);
  }

  /** What a tier holds after the run; {@code newest} is null for an empty tier. */
  public void retained(String tier, String location, int count, long bytes, Instant newest) {
    Tags tags = Tags.of("tier", tier, "location", location);
    set("sql.backup.retained.backups", tags, null, count);
    set("sql.backup.retained.size", tags, "bytes", bytes);
    if (newest != null) {
      set("sql.backup.newest.backup.timestamp", tags, "seconds", newest.getEpochSecond());
    }
  }

  public void promoted(int count) {
    set("sql.backup.promoted.backups", Tags.empty(), null, count);
  }

  public void pruned(String location, int count) {
    set("sql.backup.pruned.backups", Tags.of("location", location), null, count);
  }

  public void uploaded(int objects, long bytes) {
    set("sql.backup.uploaded.objects", Tags.empty(), null, objects);
    set("sql.backup.uploaded.size", Tags.empty(), "bytes", bytes);
  }

  public void deleted(String location, int objects) {
    set("sql.backup.deleted.objects", Tags.of("location", location), null, objects);
  }

  public void guardRefusal() {
    set("sql.backup.guard.refusals", Tags.empty(), null, 1);
  }

  private void set(String name, Tags tags, String unit, double value) {
    String key = name + tags;
    double[] holder =
        values.computeIfAbsent(
            key,
            k -> {
              double[] h = new double[1];
              String prometheus = name.replace('.', '_') + (unit == null ? "" : "_" + unit);
              Gauge.builder(name, h, a -> a[0])
                  .description(
                      METERS.stream()
                          .filter(m -> m.name().equals(prometheus))
                          .map(Meter::meaning)
                          .findFirst()
                          .orElseThrow(() -> new IllegalStateException("undocumented " + name)))
                  .tags(tags)
                  .baseUnit(unit)
                  .strongReference(true)
                  .register(registry);
              return h;
            });
    holder[0] = value;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
