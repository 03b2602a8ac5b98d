package io.backupagents.sqlbackup.restore;

import io.backupagents.common.launch.Job;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.DecryptingJob;
import io.backupagents.sqlbackup.codec.DecryptionKey;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreArguments;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import java.util.List;
import java.util.Optional;

/**
 * The {@code recover} action: restores a backup (the newest by default) into the server or, with
 * {@code DATABASE}, into one database; with {@code FROM_BACKUP=NONE} or {@code --list} it only
 * lists what is available.
 */
public final class RecoverAction {

  private RecoverAction() {}

  /** Reads and validates the recover settings and arguments; problems go to {@code settings}. */
  public static Job configure(SettingsReader settings, List<String> args, HostEnvironment host) {
    RestoreArguments arguments = RestoreArguments.parse(args, settings, "recover");
    PostgresSettings postgres = PostgresSettings.read(settings);
    RestoreSettings restore = RestoreSettings.read(settings, postgres, host, arguments, true);
    Optional<DecryptionKey> key = RestoreSettings.decryptionKey(settings);
    // The listing is the action's output, so it goes to standard output rather than the log.
    return new DecryptingJob(new RecoverJob(restore, postgres, host, System.out), key);
  }
}
