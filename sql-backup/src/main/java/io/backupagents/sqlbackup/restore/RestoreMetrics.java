package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.backup.BackupName;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter of the recover and verify actions (and of the optional verify after a backup). The
 * recover meters are named {@code sql_backup_restore_*}, the verify ones {@code
 * sql_backup_verify_*}; a successful verify also sets {@code
 * sql_backup_last_verified_timestamp_seconds}, which only successes register, so a failed verify
 * never hides how old the last proof is. A meter is registered when its value is first known and
 * updated afterwards (a backup run may verify several backups).
 */
public final class RestoreMetrics {

  /** Which action the meters describe. */
  public enum Kind {
    RESTORE("restore"),
    VERIFY("verify");

    private final String name;

    Kind(String name) {
      this.name = name;
    }
  }

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

  /** How long a phase took: {@code fetch} (download), {@code check} or {@code restore}. */
  void phase(String phase, Duration took) {
    set(
        "phase.duration",
        phase,
        "how long each phase of the last " + kind.name + " took",
        "seconds",
        took.toMillis() / 1000.0);
  }

  /** The backup the run read: its size and the time in its name. */
  void backup(BackupName name, long bytes) {
    set("backup.size", null, "size of the backup file the last run read", "bytes", bytes);
    set(
        "backup.timestamp",
        null,
        "the time in the name of the backup the last run read",
        "seconds",
        name.time().getEpochSecond());
  }

  /** The uncompressed size of a plain SQL backup. */
  void sqlBytes(long bytes) {
    set("sql.size", null, "uncompressed size of the SQL the last run read", "bytes", bytes);
  }

  /** SQL errors the restore went past (only with DO_NOT_STOP_ON_ERROR). */
  void sqlErrors(int errors) {
    set(
        "sql.errors",
        null,
        "SQL errors the last run went past (DO_NOT_STOP_ON_ERROR)",
        null,
        errors);
  }

  /** The number of databases on the server after a restore. */
  void databases(int count) {
    set("databases", null, "databases on the target server after the last restore", null, count);
  }

  /** Tables a verify restored, over all databases of the backup. */
  void tables(int count) {
    set("tables", null, "tables the last verify restored", null, count);
  }

  /** The outcome and total duration of the run; called at its end. */
  void outcome(ExitCode code, Duration took) {
    set(
        "duration",
        null,
        "how long the last " + kind.name + " took",
        "seconds",
        took.toMillis() / 1000.0);
    set(
        "success",
        null,
        "1 when the last " + kind.name + " succeeded, else 0",
        null,
        code == ExitCode.SUCCESS ? 1 : 0);
    set(
        "exit.code",
        null,
        "exit code of the last " + kind.name + " (0 = success)",
        null,
        code.status());
  }

  /** A backup was proven to restore at {@code now}. */
  void verified(Instant now) {
    gauge(
            "sql.backup.last.verified.timestamp",
            null,
            "when a backup was last proven to restore",
            "seconds")
        .set(Double.doubleToLongBits(now.toEpochMilli() / 1000.0));
  }

  private void set(String name, String phase, String description, String unit, double value) {
    gauge("sql.backup." + kind.name + "." + name, phase, description, unit)
        .set(Double.doubleToLongBits(value));
  }

  /** The holder behind a gauge, registering the gauge on first use. */
  private AtomicLong gauge(String name, String phase, String description, String unit) {
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
}
