package io.backupagents.sqlbackup.backup;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Job;
import io.backupagents.common.settings.SettingsReader;
import java.util.List;

/** Placeholder until the action is written. */
public final class BackupAction {

  private BackupAction() {}

  public static Job configure(
      SettingsReader settings, List<String> args, io.backupagents.sqlbackup.HostEnvironment host) {
    return context -> {
      throw new AgentException(ExitCode.UNEXPECTED, "BackupAction is not written yet");
    };
  }
}
