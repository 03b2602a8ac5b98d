package io.backupagents.sqlbackup.backup;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Settings of the backup and list actions (legacy names from the sql-backup image kept). */
public enum BackupSetting implements SettingDefinition {
  BACKUP_ROOT_DIR(
      Setting.of(
          "BACKUP_ROOT_DIR", "/backup", "the backup volume: one directory per tier below it")),
  BACKUP_S3_URL(
      Setting.of(
              "BACKUP_S3_URL",
              null,
              "off-site copy: s3://bucket/prefix (or the legacy /bucket/prefix) mirrored after each"
                  + " hourly run")
          .withAliases("USE_RCLONE_BUCKET_AND_PATH")),
  USE_RCLONE(
      Setting.of(
          "USE_RCLONE",
          null,
          "legacy switch: any value turns on the off-site copy to USE_RCLONE_BUCKET_AND_PATH"));

  private final Setting setting;

  BackupSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
