package io.backupagents.sqlbackup.restore;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Settings of the restore actions. */
public enum RestoreSetting implements SettingDefinition {
  ;

  private final Setting setting;

  RestoreSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
