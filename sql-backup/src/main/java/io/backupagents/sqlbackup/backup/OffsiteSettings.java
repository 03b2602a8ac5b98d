package io.backupagents.sqlbackup.backup;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import java.util.Optional;

/**
 * Where backups are copied off-site, if anywhere: {@code BACKUP_S3_URL}, or the legacy pair {@code
 * USE_RCLONE} + {@code USE_RCLONE_BUCKET_AND_PATH}. Empty when off-site copy is off.
 */
public record OffsiteSettings(S3Location location, S3Settings s3) {

  public static Optional<OffsiteSettings> read(SettingsReader r) {
    boolean legacySwitch = r.isSet(BackupSetting.USE_RCLONE);
    Optional<String> url = r.optional(BackupSetting.BACKUP_S3_URL);
    if (url.isEmpty()) {
      if (legacySwitch) {
        r.problem(
            "USE_RCLONE is set but USE_RCLONE_BUCKET_AND_PATH (or BACKUP_S3_URL) is not: set it to"
                + " /bucket/prefix");
      }
      return Optional.empty();
    }
    Optional<S3Location> location = S3Location.parse(url.get().strip());
    if (location.isEmpty()) {
      r.invalid(
          BackupSetting.BACKUP_S3_URL,
          "s3://bucket/prefix or /bucket/prefix (a valid bucket name)");
      return Optional.empty();
    }
    String why = "when the off-site copy (" + url.get().strip() + ") is on";
    return Optional.of(new OffsiteSettings(location.get(), S3Settings.read(r, why)));
  }
}
