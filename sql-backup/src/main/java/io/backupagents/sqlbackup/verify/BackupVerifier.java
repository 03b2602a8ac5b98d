package io.backupagents.sqlbackup.verify;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.DecryptionKey;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreSetting;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.ChecksumCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves that a backup just written restores, for the backup action's optional verify step ({@code
 * VERIFY_AFTER_BACKUP=yes}): the same check, scratch restore and comparison with the source as the
 * verify action, on a given file. On success it sets {@code
 * sql_backup_last_verified_timestamp_seconds} and the {@code sql_backup_verify_*} meters in the
 * run's registry.
 *
 * <pre>{@code
 * // in configure():
 * BackupVerifier verifier = BackupVerifier.configure(settings, postgres, host);
 * // in run(), after the backup is published:
 * if (verifier.enabled()) verifier.verify(publishedFile, context);
 * }</pre>
 */
public final class BackupVerifier {

  private final VerifySettings settings;
  private final Verification verification;
  private final HostEnvironment host;

  private BackupVerifier(VerifySettings settings, Verification verification, HostEnvironment host) {
    this.settings = settings;
    this.verification = verification;
    this.host = host;
  }

  /** The decryption key VERIFY_AFTER_BACKUP reads encrypted backups with, if one is given. */
  public static Optional<DecryptionKey> decryptionKey(SettingsReader settings) {
    return RestoreSettings.decryptionKey(settings);
  }

  /**
   * Reads the VERIFY_* settings (and RESTORE_TIMEOUT, RESTORE_JOBS), recording problems in {@code
   * settings}; {@code source} is the server the backups are made from.
   */
  public static BackupVerifier configure(
      SettingsReader settings, PostgresSettings source, HostEnvironment host) {
    VerifySettings verify = VerifySettings.read(settings, source);
    Duration timeout = settings.duration(RestoreSetting.RESTORE_TIMEOUT);
    int jobs = settings.integer(RestoreSetting.RESTORE_JOBS, 1, 64);
    return new BackupVerifier(
        verify,
        new Verification(
            verify, source, host, timeout.isZero() ? Optional.empty() : Optional.of(timeout), jobs),
        host);
  }

  /** Whether VERIFY_AFTER_BACKUP asks for a verify after each backup. */
  public boolean enabled() {
    return settings.afterBackup();
  }

  /**
   * Verifies {@code backup} (a file named like a backup; its checksum record is used when it lies
   * next to it). Returns normally when the backup restores and matches its source; otherwise throws
   * an {@link AgentException}, VERIFY_FAILED when the backup itself is at fault.
   */
  public void verify(Path backup, RunContext context) throws InterruptedException {
    BackupName name =
        BackupName.parse(backup.getFileName().toString())
            .orElseThrow(
                () -> new IllegalArgumentException(backup + " is not named like a backup"));
    SqlBackupMetrics.Restore metrics =
        SqlBackupMetrics.Restore.in(context.registry(), SqlBackupMetrics.Restore.Kind.VERIFY);
    Instant start = context.clock().instant();
    ExitCode outcome = ExitCode.UNEXPECTED;
    List<Path> workDirs = new ArrayList<>();
    try {
      BackupFetcher.Fetched fetched =
          new BackupFetcher.Fetched(name, backup, checksum(backup, name), backup.toString());
      List<SanityCheck.Report> reports =
          verification.verify(fetched, () -> workDirectory(workDirs), context, metrics);
      verification.requireSane(name.fileName(), reports);
      metrics.tables(reports.stream().mapToInt(SanityCheck.Report::tables).sum());
      metrics.verified(context.clock().instant());
      outcome = ExitCode.SUCCESS;
    } catch (AgentException e) {
      outcome = e.exitCode();
      throw e;
    } catch (IOException e) {
      outcome = ExitCode.OPERATION_FAILED;
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "verify of " + name + " failed: " + e.getMessage(), e);
    } finally {
      metrics.outcome(outcome, Duration.between(start, context.clock().instant()));
      for (Path dir : workDirs) {
        // What is left is named .tmp-restore-*: the next run that downloads removes it once stale.
        FileTrees.deleteTree(dir);
      }
    }
  }

  private Path workDirectory(List<Path> made) {
    try {
      Path dir = Files.createTempDirectory(host.tempDir(), BackupFetcher.TEMP_PREFIX);
      made.add(dir);
      return dir;
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not create a directory in " + host.tempDir(), e);
    }
  }

  private static Optional<String> checksum(Path backup, BackupName name) throws IOException {
    Optional<Path> record = ChecksumRecord.find(backup.toAbsolutePath().getParent(), name);
    return record.isPresent() ? Optional.of(ChecksumCheck.read(record.get())) : Optional.empty();
  }
}
