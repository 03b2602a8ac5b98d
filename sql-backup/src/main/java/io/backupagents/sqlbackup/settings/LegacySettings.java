package io.backupagents.sqlbackup.settings;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.store.BucketVolume;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The legacy image's features that needed a privileged pod or a password on a command line: the
 * s3fs-mounted bucket becomes direct S3 I/O, the rsync-over-ssh copy is refused.
 */
public final class LegacySettings {

  private static final List<BackupSetting> RSYNC =
      List.of(
          BackupSetting.RSYNC_HOST,
          BackupSetting.RSYNC_USER,
          BackupSetting.RSYNC_PASS,
          BackupSetting.RSYNC_PATH);

  private LegacySettings() {}

  /** One problem naming every RSYNC_* variable set, and what to use instead. */
  static void refuseRsync(SettingsReader r) {
    List<String> set = RSYNC.stream().filter(r::isSet).map(BackupSetting::key).toList();
    if (!set.isEmpty()) {
      r.problem(
          String.join(", ", set)
              + ": the legacy rsync-over-ssh copy is not supported (it put the password on a"
              + " command line); remove "
              + (set.size() == 1 ? "it" : "them")
              + " and use the S3 off-site copy (BACKUP_S3_URL) or the volume-replicator image");
    }
  }

  /** The bucket store of the legacy s3fs mode, when BACKUP_VOLUME_IS_S3 turns it on. */
  public static Optional<BucketVolume> bucketVolume(
      SettingsReader r, HostEnvironment host, List<String> notes) {
    Optional<String> mode = r.optional(BackupSetting.BACKUP_VOLUME_IS_S3);
    boolean on =
        mode.isPresent()
            && !Stream.of("no", "false", "0", "off")
                .anyMatch(v -> v.equals(mode.get().strip().toLowerCase(Locale.ROOT)));
    if (!on) {
      for (BackupSetting s :
          List.of(
              BackupSetting.AWS_BUCKET_NAME,
              BackupSetting.BACKUP_VOLUME_S3_URL,
              BackupSetting.BACKUP_VOLUME_S3_REQUEST_STYLE)) {
        if (r.isSet(s)) {
          notes.add(s.key() + " is ignored: BACKUP_VOLUME_IS_S3 is not set");
        }
      }
      return Optional.empty();
    }
    String why = "when BACKUP_VOLUME_IS_S3 is set";
    String bucketName = r.required(BackupSetting.AWS_BUCKET_NAME, why).strip();
    Optional<S3Location> location = parseBucket(bucketName);
    if (!bucketName.isEmpty() && location.isEmpty()) {
      r.invalid(
          BackupSetting.AWS_BUCKET_NAME,
          "a bucket name, optionally bucket/prefix, with " + S3Location.RULES);
    }
    S3Settings s3 = withVolumeOverrides(r, S3Settings.read(r, why));
    return location.map(
        l -> new BucketVolume(l, s3, BackupSettings.path(r, BackupSetting.BACKUP_TEMP_DIR, host)));
  }

  /** {@code bucket}, {@code bucket/prefix}, s3fs's {@code bucket:/prefix} or an s3:// URL. */
  static Optional<S3Location> parseBucket(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.startsWith("s3://")) {
      return S3Location.parse(text);
    }
    return S3Location.parse("/" + text.replace(":/", "/"));
  }

  private static S3Settings withVolumeOverrides(SettingsReader r, S3Settings s3) {
    Optional<URI> url = r.uri(BackupSetting.BACKUP_VOLUME_S3_URL);
    Optional<URI> endpoint = s3.endpoint();
    if (url.isPresent()) {
      if (r.isSet(S3Setting.S3_ENDPOINT) && !url.equals(s3.endpoint())) {
        r.problem(
            "BACKUP_VOLUME_S3_URL and S3_ENDPOINT (or RCLONE_S3_ENDPOINT) are both set, to"
                + " different values: keep one");
      }
      endpoint = url;
    }
    boolean pathStyle = s3.pathStyle() || url.isPresent();
    Optional<String> style = r.optional(BackupSetting.BACKUP_VOLUME_S3_REQUEST_STYLE);
    if (style.isPresent()) {
      switch (style.get().strip().toLowerCase(Locale.ROOT)) {
        case "path", "use_path_request_style" -> pathStyle = true;
        case "virtual", "virtual-host", "virtual_host" -> pathStyle = false;
        default -> r.invalid(BackupSetting.BACKUP_VOLUME_S3_REQUEST_STYLE, "path or virtual");
      }
    }
    return new S3Settings(
        endpoint,
        s3.region(),
        pathStyle,
        s3.accessKeyId(),
        s3.secretAccessKey(),
        s3.checksumMode(),
        s3.verifyTls(),
        s3.encryption(),
        s3.kmsKeyId(),
        s3.storageClass(),
        s3.maxConnections(),
        s3.multipartThreshold(),
        s3.partSize(),
        s3.maxAttempts());
  }
}
