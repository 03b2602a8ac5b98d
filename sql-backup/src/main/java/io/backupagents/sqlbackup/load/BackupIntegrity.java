package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.logging.Units;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.source.BackupCopy;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.FoundBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a backup readable before any of it reaches a server: its SHA-256 record (when there is
 * one), then its whole content (gzip and dump trailer, or pg_restore reading the archive). A copy
 * that fails is passed over for the next copy of the same backup, if there is one.
 */
public final class BackupIntegrity {

  private static final Logger log = LoggerFactory.getLogger(BackupIntegrity.class);

  /**
   * A backup proven readable.
   *
   * @param kind what a plain dump holds; empty for an archive
   * @param sqlBytes the uncompressed size of a plain dump
   * @param archive the archive as pg_restore reads it; empty for a plain dump
   */
  public record Checked(
      BackupFetcher.Fetched fetched,
      Optional<DumpKind> kind,
      long sqlBytes,
      Optional<ArchiveBackup.Checked> archive) {

    public BackupName name() {
      return fetched.name();
    }

    /** True for a whole-server dump. */
    public boolean cluster() {
      return kind.orElse(DumpKind.DATABASE) == DumpKind.CLUSTER;
    }
  }

  private BackupIntegrity() {}

  /** Fetches and checks the first copy of {@code backup} that proves good. */
  public static Checked prepare(
      FoundBackup backup,
      BackupFetcher fetcher,
      ProcessRunner runner,
      ClientTools.Clients clients,
      Clock clock,
      SqlBackupMetrics.Restore metrics)
      throws InterruptedException {
    AgentException failure = null;
    for (BackupCopy copy : backup.copies()) {
      if (failure != null) {
        log.warn("trying the copy in {}", copy.where());
      }
      try {
        Instant start = clock.instant();
        BackupFetcher.Fetched fetched = fetcher.fetch(backup, copy);
        if (copy instanceof BackupCopy.Remote) {
          metrics.phase("fetch", Duration.between(start, clock.instant()));
        }
        return check(fetched, fetcher::temporaryDirectory, runner, clients, clock, metrics);
      } catch (AgentException e) {
        if (e.exitCode() != ExitCode.VERIFY_FAILED && e.exitCode() != ExitCode.OPERATION_FAILED) {
          throw e;
        }
        log.error("{} in {}: {}", backup, copy.where(), e.getMessage());
        failure = failure == null ? e : failure;
      }
    }
    throw failure;
  }

  /** Checks a fetched backup end to end. */
  public static Checked check(
      BackupFetcher.Fetched fetched,
      Supplier<Path> workDir,
      ProcessRunner runner,
      ClientTools.Clients clients,
      Clock clock,
      SqlBackupMetrics.Restore metrics)
      throws InterruptedException {
    Path file = fetched.file();
    long size = size(file);
    metrics.backup(fetched.name().time(), size);
    log.info(
        "checking {} ({}{}) before restoring it",
        fetched.name(),
        Units.bytes(size),
        fetched.sha256().isPresent() ? ", with its SHA-256 record" : ", no SHA-256 record");
    Instant start = clock.instant();
    Checked checked;
    try (RestoreProgress progress = RestoreProgress.start("check", size, clock)) {
      if (fetched.name().format().plain()) {
        // Encrypted backups are always read end to end: their record lies beside them, where
        // whoever could change the one could change the other, and only the message's own
        // integrity check (OpenPGP's modification detection code) proves what was encrypted.
        boolean quick = fetched.sha256().isPresent() && !fetched.name().encrypted();
        PlainBackupCheck.Result r =
            quick
                ? PlainBackupCheck.quick(file, fetched.sha256().get(), progress)
                : PlainBackupCheck.check(file, fetched.sha256(), progress);
        if (r.sqlBytes() >= 0) {
          metrics.sqlBytes(r.sqlBytes());
        }
        checked = new Checked(fetched, Optional.of(r.kind()), r.sqlBytes(), Optional.empty());
      } else {
        ArchiveBackup.Checked archive =
            ArchiveBackup.check(
                file,
                fetched.name().format(),
                fetched.sha256(),
                progress,
                fetched.name().format() == BackupName.Format.DIRECTORY_TAR
                    ? workDir.get()
                    : file.getParent(),
                runner,
                clients);
        checked = new Checked(fetched, Optional.empty(), 0, Optional.of(archive));
      }
    }
    Duration took = Duration.between(start, clock.instant());
    metrics.phase("check", took);
    log.info(
        "{} is sound: {}{} (checked in {})",
        fetched.name(),
        checked.kind().map(DumpKind::describe).orElse("a pg_dump archive"),
        checked.kind().isEmpty()
            ? ", " + checked.archive().orElseThrow().items() + " items"
            : checked.sqlBytes() >= 0
                ? ", " + Units.bytes(checked.sqlBytes()) + " of SQL"
                : ", its SHA-256 matches the record written when the dump was checked complete",
        Units.duration(took));
    return checked;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
  }
}
