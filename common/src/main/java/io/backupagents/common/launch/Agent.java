package io.backupagents.common.launch;

import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import java.util.List;

/** One of the agents, as the {@link Launcher} sees it: its settings and how to make a job. */
public interface Agent {

  /** The agent's name, e.g. {@code sql-backup}; also the metric prefix and Pushgateway job. */
  String name();

  /**
   * How to run the agent, for {@code --help}: what it does, its actions and arguments, in lines
   * ending with a newline (the launcher adds the settings).
   */
  String usage();

  /** Every setting the agent reads (the launcher adds {@link CommonSetting}). */
  List<SettingDefinition> settings();

  /** Variables starting with these are ours: an unknown one is a typo and an error. */
  List<String> ownedPrefixes();

  /**
   * Reads and validates the settings for the action named by {@code args}, recording problems in
   * {@code settings} rather than throwing, and returns the job to run.
   */
  Job configure(SettingsReader settings, List<String> args);
}
