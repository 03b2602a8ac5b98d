package io.backupagents.sqlbackup.metrics;

import io.backupagents.common.exit.ExitCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter the sql-backup agent reports besides the launcher's run metrics, with its name and
 * meaning in one place: the backup meters here (the README table is generated from {@link
 * #METERS}), the recover and verify meters in {@link Restore} (their README table from {@link
 * Restore#markdownTable()}). Each is a gauge holding this run's value, as a run is pushed once, at
 * its end; labels are low-cardinality only (phase, tier, location, database).
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
    return markdownTable(METERS);
  }

  private static String markdownTable(List<Meter> meters) {
    StringBuilder sb = new StringBuilder("| metric | labels | meaning |\n|---|---|---|\n");
    for (Meter m : meters) {
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

  private final Gauges gauges;

  public SqlBackupMetrics(MeterRegistry registry) {
    this.gauges = new Gauges(registry);
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
    String prometheus = name.replace('.', '_') + (unit == null ? "" : "_" + unit);
    String description =
        METERS.stream()
            .filter(m -> m.name().equals(prometheus))
            .map(Meter::meaning)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("undocumented " + name));
    gauges.set(name, tags, unit, description, value);
  }

  /**
   * The meters of the recover and verify actions (and of the optional verify after a backup): the
   * recover meters are named {@code sql_backup_restore_*}, the verify ones {@code
   * sql_backup_verify_*}. A successful verify also sets {@code
   * sql_backup_last_verified_timestamp_seconds}, which only successes register, so a failed verify
   * never hides how old the last proof is. A meter is registered when its value is first known and
   * updated afterwards (a backup run may verify several backups).
   */
  public static final class Restore {

    /** Which action the meters describe. */
    public enum Kind {
      RESTORE("restore", "recover"),
      VERIFY("verify", "verify");

      private final String name;
      private final String action;

      Kind(String name, String action) {
        this.name = name;
        this.action = action;
      }
    }

    /** The meters, each with its name after the kind's prefix, unit, label and meaning. */
    private enum Series {
      DURATION("duration", "seconds", null, "how long the last %s took", Kind.values()),
      PHASE_DURATION(
          "phase.duration",
          "seconds",
          "phase",
          "how long each phase of the last %s took: fetch (download from S3), check, restore",
          Kind.values()),
      BACKUP_SIZE(
          "backup.size", "bytes", null, "size of the backup file the last %s read", Kind.values()),
      BACKUP_TIMESTAMP(
          "backup.timestamp",
          "seconds",
          null,
          "the time in the name of the backup the last %s read (how old its data is)",
          Kind.values()),
      SQL_SIZE(
          "sql.size",
          "bytes",
          null,
          "uncompressed size of the SQL the last %s read",
          Kind.values()),
      SQL_ERRORS(
          "sql.errors",
          null,
          null,
          "SQL errors the last %s went past (DO_NOT_STOP_ON_ERROR)",
          Kind.RESTORE),
      DATABASES("databases", null, null, "databases on the server after the last %s", Kind.RESTORE),
      TABLES("tables", null, null, "tables the last %s restored and checked", Kind.VERIFY),
      SUCCESS("success", null, null, "1 when the last %s succeeded, else 0", Kind.values()),
      EXIT_CODE("exit.code", null, null, "exit code of the last %s (0 = success)", Kind.values());

      private final String name;
      private final String unit;
      private final String label;
      private final String meaning;
      private final Set<Kind> kinds;

      Series(String name, String unit, String label, String meaning, Kind... kinds) {
        this.name = name;
        this.unit = unit;
        this.label = label;
        this.meaning = meaning;
        this.kinds = EnumSet.of(kinds[0], kinds);
      }

      String meterName(Kind kind) {
        return "sql.backup." + kind.name + "." + name;
      }

      String meaning(Kind kind) {
        return String.format(meaning, kind.action);
      }

      Meter meter(Kind kind) {
        return new Meter(
            (meterName(kind) + (unit == null ? "" : "." + unit)).replace('.', '_'),
            label == null ? "" : label,
            meaning(kind));
      }
    }

    private static final String LAST_VERIFIED = "sql.backup.last.verified.timestamp";
    private static final Map<MeterRegistry, Map<Kind, Restore>> BY_REGISTRY =
        Collections.synchronizedMap(new WeakHashMap<>());

    private final Gauges gauges;
    private final Kind kind;

    private Restore(MeterRegistry registry, Kind kind) {
      this.gauges = new Gauges(registry);
      this.kind = kind;
    }

    /** The meters of {@code kind} in {@code registry}, the same object on every call. */
    public static Restore in(MeterRegistry registry, Kind kind) {
      synchronized (BY_REGISTRY) {
        return BY_REGISTRY
            .computeIfAbsent(registry, r -> new EnumMap<>(Kind.class))
            .computeIfAbsent(kind, k -> new Restore(registry, k));
      }
    }

    /** Every recover and verify meter, as the README lists them. */
    public static List<Meter> meters() {
      List<Meter> meters = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        for (Series s : Series.values()) {
          if (s.kinds.contains(kind)) {
            meters.add(s.meter(kind));
          }
        }
      }
      meters.add(
          new Meter(
              "sql_backup_last_verified_timestamp_seconds",
              "",
              "when a backup was last proven to restore (verify, or the verify after a backup);"
                  + " only successes set it"));
      return List.copyOf(meters);
    }

    /** The README's table of these meters. */
    public static String markdownTable() {
      return SqlBackupMetrics.markdownTable(meters());
    }

    /** How long a phase took: {@code fetch} (download), {@code check} or {@code restore}. */
    public void phase(String phase, Duration took) {
      set(Series.PHASE_DURATION, Tags.of("phase", phase), seconds(took));
    }

    /** The backup the run read: its size and the time in its name. */
    public void backup(Instant named, long bytes) {
      set(Series.BACKUP_SIZE, Tags.empty(), bytes);
      set(Series.BACKUP_TIMESTAMP, Tags.empty(), named.getEpochSecond());
    }

    /** The uncompressed size of a plain SQL backup. */
    public void sqlBytes(long bytes) {
      set(Series.SQL_SIZE, Tags.empty(), bytes);
    }

    /** SQL errors the restore went past (only with DO_NOT_STOP_ON_ERROR). */
    public void sqlErrors(int errors) {
      set(Series.SQL_ERRORS, Tags.empty(), errors);
    }

    /** The number of databases on the server after a restore. */
    public void databases(int count) {
      set(Series.DATABASES, Tags.empty(), count);
    }

    /** Tables a verify restored, over all databases of the backup. */
    public void tables(int count) {
      set(Series.TABLES, Tags.empty(), count);
    }

    /** The outcome and total duration of the run; called at its end. */
    public void outcome(ExitCode code, Duration took) {
      set(Series.DURATION, Tags.empty(), seconds(took));
      set(Series.SUCCESS, Tags.empty(), code == ExitCode.SUCCESS ? 1 : 0);
      set(Series.EXIT_CODE, Tags.empty(), code.status());
    }

    /** A backup was proven to restore at {@code now}. */
    public void verified(Instant now) {
      gauges.set(
          LAST_VERIFIED,
          Tags.empty(),
          "seconds",
          "when a backup was last proven to restore",
          now.toEpochMilli() / 1000.0);
    }

    private void set(Series series, Tags tags, double value) {
      if (!series.kinds.contains(kind)) {
        throw new IllegalStateException(series + " is not a " + kind + " meter");
      }
      gauges.set(series.meterName(kind), tags, series.unit, series.meaning(kind), value);
    }
  }

  /** Gauges holding this run's values, each registered when it is first set. */
  private static final class Gauges {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    Gauges(MeterRegistry registry) {
      this.registry = registry;
    }

    void set(String name, Tags tags, String unit, String description, double value) {
      values
          .computeIfAbsent(
              name + tags,
              key -> {
                AtomicLong bits = new AtomicLong();
                Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                    .description(description)
                    .tags(tags)
                    .baseUnit(unit)
                    .strongReference(true)
                    .register(registry);
                return bits;
              })
          .set(Double.doubleToLongBits(value));
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
