package io.backupagents.sqlbackup.backup;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Settings of the backup actions. */
public enum BackupSetting implements SettingDefinition {
  ;

  private final Setting setting;

  BackupSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
