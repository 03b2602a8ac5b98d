package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.BackupName;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter of the recover and verify actions (and of the optional verify after a backup): the
 * recover meters are named {@code sql_backup_restore_*}, the verify ones {@code
 * sql_backup_verify_*}. A successful verify also sets {@code
 * sql_backup_last_verified_timestamp_seconds}, which only successes register, so a failed verify
 * never hides how old the last proof is. A meter is registered when its value is first known and
 * updated afterwards (a backup run may verify several backups). The README's table comes from
 * {@link #markdownTable()}.
 */
public final class RestoreMetrics {

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
  private enum Meter {
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
        "sql.size", "bytes", null, "uncompressed size of the SQL the last %s read", Kind.values()),
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

    Meter(String name, String unit, String label, String meaning, Kind... kinds) {
      this.name = name;
      this.unit = unit;
      this.label = label;
      this.meaning = meaning;
      this.kinds = EnumSet.of(kinds[0], kinds);
    }

    String prometheusName(Kind kind) {
      return ("sql_backup_" + kind.name + "_" + name + (unit == null ? "" : "." + unit))
          .replace('.', '_');
    }
  }

  private static final String LAST_VERIFIED = "sql.backup.last.verified.timestamp";
  private static final Map<MeterRegistry, Map<Kind, RestoreMetrics>> BY_REGISTRY =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final Kind kind;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  private RestoreMetrics(MeterRegistry registry, Kind kind) {
    this.registry = registry;
    this.kind = kind;
  }

  /** The meters of {@code kind} in {@code registry}, the same object on every call. */
  public static RestoreMetrics in(MeterRegistry registry, Kind kind) {
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY
          .computeIfAbsent(registry, r -> new EnumMap<>(Kind.class))
          .computeIfAbsent(kind, k -> new RestoreMetrics(registry, k));
    }
  }

  /** The README table of these meters. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| metric | labels | meaning |\n|---|---|---|\n");
    for (Kind kind : Kind.values()) {
      for (Meter m : Meter.values()) {
        if (m.kinds.contains(kind)) {
          sb.append("| `")
              .append(m.prometheusName(kind))
              .append("` | ")
              .append(m.label == null ? "" : m.label)
              .append(" | ")
              .append(String.format(m.meaning, kind.action))
              .append(" |\n");
        }
      }
    }
    sb.append("| `sql_backup_last_verified_timestamp_seconds` |  | when a backup was last proven")
        .append(" to restore (verify, or the verify after a backup); only successes set it |\n");
    return sb.toString();
  }

  /** How long a phase took: {@code fetch} (download), {@code check} or {@code restore}. */
  public void phase(String phase, Duration took) {
    set(Meter.PHASE_DURATION, phase, seconds(took));
  }

  /** The backup the run read: its size and the time in its name. */
  void backup(BackupName name, long bytes) {
    set(Meter.BACKUP_SIZE, null, bytes);
    set(Meter.BACKUP_TIMESTAMP, null, name.time().getEpochSecond());
  }

  /** The uncompressed size of a plain SQL backup. */
  void sqlBytes(long bytes) {
    set(Meter.SQL_SIZE, null, bytes);
  }

  /** SQL errors the restore went past (only with DO_NOT_STOP_ON_ERROR). */
  public void sqlErrors(int errors) {
    set(Meter.SQL_ERRORS, null, errors);
  }

  /** The number of databases on the server after a restore. */
  public void databases(int count) {
    set(Meter.DATABASES, null, count);
  }

  /** Tables a verify restored, over all databases of the backup. */
  public void tables(int count) {
    set(Meter.TABLES, null, count);
  }

  /** The outcome and total duration of the run; called at its end. */
  public void outcome(ExitCode code, Duration took) {
    set(Meter.DURATION, null, seconds(took));
    set(Meter.SUCCESS, null, code == ExitCode.SUCCESS ? 1 : 0);
    set(Meter.EXIT_CODE, null, code.status());
  }

  /** A backup was proven to restore at {@code now}. */
  public void verified(Instant now) {
    holder(LAST_VERIFIED, null, "when a backup was last proven to restore", "seconds")
        .set(Double.doubleToLongBits(now.toEpochMilli() / 1000.0));
  }

  private void set(Meter meter, String phase, double value) {
    if (!meter.kinds.contains(kind)) {
      throw new IllegalStateException(meter + " is not a " + kind + " meter");
    }
    holder(
            "sql.backup." + kind.name + "." + meter.name,
            phase,
            String.format(meter.meaning, kind.action),
            meter.unit)
        .set(Double.doubleToLongBits(value));
  }

  /** The holder behind a gauge, registering the gauge on first use. */
  private AtomicLong holder(String name, String phase, String description, String unit) {
    return values.computeIfAbsent(
        name + "/" + Objects.toString(phase, ""),
        key -> {
          AtomicLong bits = new AtomicLong();
          Gauge.Builder<?> builder =
              Gauge.builder(name, () -> Double.longBitsToDouble(bits.get()))
                  .description(description);
          if (phase != null) {
            builder.tag("phase", phase);
          }
          if (unit != null) {
            builder.baseUnit(unit);
          }
          builder.register(registry);
          return bits;
        });
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
