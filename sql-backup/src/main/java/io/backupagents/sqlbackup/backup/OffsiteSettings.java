package io.backupagents.sqlbackup.backup;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import java.util.Optional;

/**
 * Where backups are copied off-site, if anywhere: {@code BACKUP_S3_URL}, or the legacy pair {@code
 * USE_RCLONE} + {@code USE_RCLONE_BUCKET_AND_PATH} (the legacy path alone does not turn the copy
 * on, as in the legacy image). Empty when off-site copy is off.
 */
public record OffsiteSettings(S3Location location, S3Settings s3) {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(OffsiteSettings.class);
  private static final String LEGACY_LOCATION = "USE_RCLONE_BUCKET_AND_PATH";

  public static Optional<OffsiteSettings> read(SettingsReader r) {
    boolean legacySwitch = r.isSet(BackupSetting.USE_RCLONE);
    Optional<String> url = r.optional(BackupSetting.BACKUP_S3_URL);
    boolean legacyName =
        r.source(BackupSetting.BACKUP_S3_URL).filter(LEGACY_LOCATION::equals).isPresent();
    if (url.isPresent() && legacyName && !legacySwitch) {
      // The legacy images copied off-site only when USE_RCLONE was set; a manifest that keeps
      // the path but dropped the switch must not start copying (or need S3 credentials).
      log.info(
          "USE_RCLONE_BUCKET_AND_PATH is set but USE_RCLONE is not: no off-site copy, as with the"
              + " legacy image (set USE_RCLONE, or use BACKUP_S3_URL)");
      return Optional.empty();
    }
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
