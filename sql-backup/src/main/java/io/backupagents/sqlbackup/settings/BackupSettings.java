package io.backupagents.sqlbackup.settings;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.Compression;
import io.backupagents.sqlbackup.codec.EncryptionSettings;
import io.backupagents.sqlbackup.codec.OpenPgpEncryption;
import io.backupagents.sqlbackup.dump.DumpFormat;
import io.backupagents.sqlbackup.dump.DumpSettings;
import io.backupagents.sqlbackup.lock.LockSettings;
import io.backupagents.sqlbackup.model.OffsiteCopy;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.store.BucketVolume;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validated settings of a backup run: the tier and its retention, where backups live (a directory
 * or, in the legacy s3fs mode, a bucket), how dumps are made, the lock, and the off-site copy.
 *
 * @param notes legacy variables that are accepted but have no effect, logged as warnings
 */
public record BackupSettings(
    Tier tier,
    int count,
    Tier priorTier,
    Path root,
    Optional<BucketVolume> bucketVolume,
    DumpSettings dump,
    LockSettings lock,
    Optional<OffsiteCopy> offsite,
    Duration preExitSleep,
    boolean postDebug,
    List<String> notes) {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(BackupSettings.class);
  private static final String LEGACY_LOCATION = "USE_RCLONE_BUCKET_AND_PATH";

  /** Most backups a tier may keep; a typo like 24000 should not go unnoticed. */
  static final int MAX_COUNT = 10_000;

  public BackupSettings {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    notes = List.copyOf(notes);
  }

  /** Reads every backup setting, recording each problem in {@code r}. */
  public static BackupSettings read(SettingsReader r, HostEnvironment host) {
    Tier tier = r.choice(BackupSetting.BACKUP_TYPE, Tier.class);
    int count = count(r);
    Tier prior = priorTier(r, tier);
    Path root = path(r, BackupSetting.BACKUP_ROOT_DIR, host);
    LegacySettings.refuseRsync(r);
    List<String> notes = new ArrayList<>();
    if (r.isSet(BackupSetting.BACKUP_PRIOR_COUNT)) {
      notes.add("BACKUP_PRIOR_COUNT is ignored: obsolete since the legacy image's 15.8");
    }
    Optional<BucketVolume> bucket = LegacySettings.bucketVolume(r, host, notes);
    Optional<OffsiteCopy> offsite = offsite(r);
    if (bucket.isPresent() && offsite.isPresent()) {
      r.problem(
          "BACKUP_VOLUME_IS_S3 and the off-site copy (USE_RCLONE/BACKUP_S3_URL) are both set:"
              + " with BACKUP_VOLUME_IS_S3 the bucket already is the store; unset one of them");
    }
    DumpSettings dump = dump(r, host);
    LockSettings lock =
        new LockSettings(
            r.duration(BackupSetting.BACKUP_LOCK_WAIT),
            positive(r.duration(BackupSetting.BACKUP_LOCK_STALE_AFTER), Duration.ofHours(12)));
    Duration sleep =
        Duration.ofMinutes(r.integer(BackupSetting.BACKUP_PRE_EXIT_SLEEP_M, 0, 24 * 60));
    return new BackupSettings(
        tier,
        count,
        prior,
        root,
        bucket,
        dump,
        lock,
        offsite,
        sleep,
        r.isSet(BackupSetting.POST_DEBUG),
        notes);
  }

  private static int count(SettingsReader r) {
    Optional<String> raw = r.optional(BackupSetting.BACKUP_COUNT);
    if (raw.isPresent() && raw.get().strip().matches("-?0+")) {
      r.problem(
          "BACKUP_COUNT="
              + raw.get().strip()
              + ": expected a whole number from 1 to "
              + MAX_COUNT
              + " (the legacy image's 0 deleted every backup, the new one included)");
      return 1;
    }
    return r.integer(BackupSetting.BACKUP_COUNT, 1, MAX_COUNT);
  }

  private static Tier priorTier(SettingsReader r, Tier tier) {
    Tier prior = r.choice(BackupSetting.BACKUP_PRIOR_TYPE, Tier.class);
    if (tier != Tier.HOURLY && prior.compareTo(tier) >= 0) {
      r.problem(
          "BACKUP_PRIOR_TYPE="
              + prior
              + ": expected a lower tier than BACKUP_TYPE="
              + tier
              + " to promote from (hourly, daily or weekly)");
    }
    return prior;
  }

  private static DumpSettings dump(SettingsReader r, HostEnvironment host) {
    DumpFormat format = r.choice(BackupSetting.DUMP_FORMAT, DumpFormat.class);
    int jobs = r.integer(BackupSetting.DUMP_JOBS, 1, 64);
    if (jobs > 1 && format != DumpFormat.DIRECTORY) {
      r.problem(
          "DUMP_JOBS="
              + jobs
              + ": parallel dump jobs need DUMP_FORMAT=directory (pg_dump -j writes only that"
              + " format)");
    }
    Duration timeout = r.duration(BackupSetting.DUMP_TIMEOUT);
    Compression compression = r.choice(BackupSetting.BACKUP_COMPRESSION, Compression.class);
    int level =
        r.isSet(BackupSetting.BACKUP_COMPRESSION_LEVEL)
            ? r.integer(
                BackupSetting.BACKUP_COMPRESSION_LEVEL,
                compression.minLevel(),
                compression.maxLevel())
            : compression.defaultLevel();
    Optional<OpenPgpEncryption> encryption =
        EncryptionSettings.recipients(r, BackupSetting.BACKUP_ENCRYPTION_RECIPIENTS, host.clock());
    if (encryption.isPresent() && format == DumpFormat.DIRECTORY) {
      r.problem(
          "DUMP_FORMAT=directory cannot be encrypted: pg_dump writes a directory dump to disk"
              + " unencrypted before it is packed; use DUMP_FORMAT=custom (or plain) with"
              + " BACKUP_ENCRYPTION_RECIPIENTS");
    }
    return new DumpSettings(
        format,
        jobs,
        timeout.isZero() ? Optional.empty() : Optional.of(timeout),
        level,
        r.integer(BackupSetting.BACKUP_COMPRESSION_THREADS, 0, 256),
        compression,
        encryption);
  }

  /**
   * The off-site copy, if any: {@code BACKUP_S3_URL}, or the legacy pair {@code USE_RCLONE} +
   * {@code USE_RCLONE_BUCKET_AND_PATH} (the legacy path alone does not turn the copy on, as in the
   * legacy image). Empty when off-site copy is off.
   */
  public static Optional<OffsiteCopy> offsite(SettingsReader r) {
    Optional<S3Location> location = offsiteLocation(r);
    Optional<S3Settings> s3 = location.map(l -> offsiteS3(r));
    boolean delete = r.flag(BackupSetting.BACKUP_S3_DELETE);
    int maxDelete = r.integer(BackupSetting.BACKUP_S3_MAX_DELETE_PERCENT, 0, 100);
    int uploads = r.integer(BackupSetting.BACKUP_S3_UPLOADS, 1, 64);
    return location.map(l -> new OffsiteCopy(l, s3.orElseThrow(), delete, maxDelete, uploads));
  }

  /** The endpoint and credentials of the off-site copy, read once its location is known. */
  static S3Settings offsiteS3(SettingsReader r) {
    String url = r.optional(BackupSetting.BACKUP_S3_URL).orElse("").strip();
    return S3Settings.read(r, "when the off-site copy (" + url + ") is on");
  }

  /** The location of the off-site copy, when it is on. */
  static Optional<S3Location> offsiteLocation(SettingsReader r) {
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
          "s3://bucket/prefix or /bucket/prefix, with " + S3Location.RULES);
      offsiteS3(r); // the copy's other settings are checked too: every problem shows at once
    }
    return location;
  }

  static Path path(SettingsReader r, BackupSetting setting, HostEnvironment host) {
    String value = r.string(setting);
    try {
      Path p = host.fileSystem().getPath(value);
      if (!p.isAbsolute()) {
        r.invalid(setting, "an absolute path");
      }
      return p;
    } catch (InvalidPathException e) {
      r.invalid(setting, "a file system path");
      return host.fileSystem().getPath("/");
    }
  }

  private static Duration positive(Duration d, Duration fallback) {
    return d.isZero() ? fallback : d;
  }

  /** The directory of {@code t} below the root. */
  public Path tierDirectory(Tier t) {
    return root.resolve(t.directoryName());
  }
}
