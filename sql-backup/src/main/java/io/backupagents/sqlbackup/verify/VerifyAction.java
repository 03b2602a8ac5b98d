package io.backupagents.sqlbackup.verify;

import io.backupagents.common.launch.Job;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.DecryptingJob;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreArguments;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import java.util.List;

/**
 * The {@code verify} action: proves the newest backup (or the one {@code --from} names) restores,
 * in a scratch database, and compares it with its source.
 */
public final class VerifyAction {

  private VerifyAction() {}

  /** Reads and validates the verify settings and arguments; problems go to {@code settings}. */
  public static Job configure(SettingsReader settings, List<String> args, HostEnvironment host) {
    RestoreArguments arguments = RestoreArguments.parse(args, settings, "verify");
    PostgresSettings postgres = PostgresSettings.read(settings);
    RestoreSettings restore = RestoreSettings.read(settings, postgres, host, arguments, false);
    VerifySettings verify = VerifySettings.read(settings, postgres);
    Verification verification =
        new Verification(verify, postgres, host, restore.timeout(), restore.jobs());
    return new DecryptingJob(
        new VerifyJob(restore, verification, host, System.out),
        RestoreSettings.decryptionKey(settings));
  }
}
