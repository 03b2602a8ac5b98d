package io.backupagents.sqlbackup.backup;

import io.backupagents.common.launch.Job;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.DecryptingJob;
import io.backupagents.sqlbackup.codec.DecryptionKey;
import io.backupagents.sqlbackup.dump.DumpFormat;
import io.backupagents.sqlbackup.lock.Sleeper;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.BackupSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.verify.BackupVerifier;
import java.util.List;
import java.util.Optional;

/** The {@code backup} action: validates its settings and makes the run of one tier. */
public final class BackupAction {

  private BackupAction() {}

  public static Job configure(SettingsReader settings, List<String> args, HostEnvironment host) {
    return configure(settings, args, host, Sleeper.REAL);
  }

  /** As above, with the sleeper used for lock waits and the debugging sleeps. */
  public static Job configure(
      SettingsReader settings, List<String> args, HostEnvironment host, Sleeper sleeper) {
    if (!args.isEmpty()) {
      settings.problem("backup takes no arguments; got " + String.join(" ", args));
    }
    PostgresSettings postgres = PostgresSettings.read(settings);
    BackupSettings backup = BackupSettings.read(settings, host);
    if (backup.dump().format() != DumpFormat.PLAIN && postgres.dumpAll()) {
      settings.problem(
          "DUMP_FORMAT="
              + backup.dump().format().name().toLowerCase(java.util.Locale.ROOT)
              + " needs DATABASE: pg_dumpall writes plain SQL only");
    }
    BackupVerifier verifier = BackupVerifier.configure(settings, postgres, host);
    if (verifier.enabled() && backup.bucketVolume().isPresent()) {
      settings.problem(
          "VERIFY_AFTER_BACKUP=yes needs a backup volume; with BACKUP_VOLUME_IS_S3 run the verify"
              + " action on its own schedule instead");
    }
    Optional<DecryptionKey> key =
        verifier.enabled() ? BackupVerifier.decryptionKey(settings) : Optional.empty();
    if (verifier.enabled() && backup.dump().encryption().isPresent() && key.isEmpty()) {
      settings.problem(
          "VERIFY_AFTER_BACKUP=yes with BACKUP_ENCRYPTION_RECIPIENTS needs"
              + " BACKUP_DECRYPTION_KEY_FILE in the backup run; better run the verify action,"
              + " which alone holds the private key");
    }
    return new DecryptingJob(new BackupJob(backup, postgres, host, sleeper, verifier), key);
  }
}
