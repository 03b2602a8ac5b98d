package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Job;
import io.backupagents.common.settings.SettingsReader;
import java.util.List;

/** Placeholder until the action is written. */
public final class VerifyAction {

  private VerifyAction() {}

  public static Job configure(SettingsReader settings, List<String> args) {
    return context -> {
      throw new AgentException(ExitCode.UNEXPECTED, "VerifyAction is not written yet");
    };
  }
}
