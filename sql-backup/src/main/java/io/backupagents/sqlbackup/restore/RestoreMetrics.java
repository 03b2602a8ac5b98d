package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.backup.BackupName;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * Every meter of the recover and verify actions (and of the optional verify after a backup). The
 * recover meters are named {@code sql_backup_restore_*}, the verify ones {@code
 * sql_backup_verify_*}; a successful verify also sets {@code
 * sql_backup_last_verified_timestamp_seconds}, which only successes push, so a failed verify never
 * hides how old the last proof is.
 */
public final class RestoreMetrics {

  /** Which action the meters describe. */
  public enum Kind {
    RESTORE("restore"),
    VERIFY("verify");

    private final String name;
    private final String prefix;

    Kind(String name) {
      this.name = name;
      this.prefix = "sql.backup." + name + ".";
    }
  }

  private final MeterRegistry registry;
  private final Kind kind;

  public RestoreMetrics(MeterRegistry registry, Kind kind) {
    this.registry = registry;
    this.kind = kind;
  }

  /** How long a phase took: {@code fetch} (download), {@code check} or {@code restore}. */
  void phase(String phase, Duration took) {
    double seconds = took.toMillis() / 1000.0;
    Gauge.builder(kind.prefix + "phase.duration", () -> seconds)
        .tag("phase", phase)
        .description("how long each phase of the last " + kind.name + " took")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The backup the run read: its size and the time in its name. */
  void backup(BackupName name, long bytes) {
    double time = name.time().getEpochSecond();
    Gauge.builder(kind.prefix + "backup.size", () -> bytes)
        .description("size of the backup file the last run read")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(kind.prefix + "backup.timestamp", () -> time)
        .description("the time in the name of the backup the last run read")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The uncompressed size of a plain SQL backup. */
  void sqlBytes(long bytes) {
    Gauge.builder(kind.prefix + "sql.size", () -> bytes)
        .description("uncompressed size of the SQL the last run read")
        .baseUnit("bytes")
        .register(registry);
  }

  /** SQL errors the restore went past (only with DO_NOT_STOP_ON_ERROR). */
  void sqlErrors(int errors) {
    Gauge.builder(kind.prefix + "sql.errors", () -> errors)
        .description("SQL errors the last run went past (DO_NOT_STOP_ON_ERROR)")
        .register(registry);
  }

  /** The number of databases on the server after a restore. */
  void databases(int count) {
    Gauge.builder(kind.prefix + "databases", () -> count)
        .description("databases on the target server after the last restore")
        .register(registry);
  }

  /** Tables a verify restored, over all databases of the backup. */
  void tables(int count) {
    Gauge.builder(kind.prefix + "tables", () -> count)
        .description("tables the last verify restored")
        .register(registry);
  }

  /** The outcome and total duration of the run; called once, at its end. */
  void outcome(ExitCode code, Duration took) {
    double seconds = took.toMillis() / 1000.0;
    Gauge.builder(kind.prefix + "duration", () -> seconds)
        .description("how long the last " + kind.name + " took")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(kind.prefix + "success", () -> code == ExitCode.SUCCESS ? 1 : 0)
        .description("1 when the last " + kind.name + " succeeded, else 0")
        .register(registry);
    Gauge.builder(kind.prefix + "exit.code", code::status)
        .description("exit code of the last " + kind.name + " (0 = success)")
        .register(registry);
  }

  /** A backup was proven to restore at {@code now}. */
  void verified(Instant now) {
    double time = now.toEpochMilli() / 1000.0;
    Gauge.builder("sql.backup.last.verified.timestamp", () -> time)
        .description("when a backup was last proven to restore")
        .baseUnit("seconds")
        .register(registry);
  }
}
