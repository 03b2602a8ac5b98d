package io.backupagents.sqlbackup.settings;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.codec.DecryptionKey;
import io.backupagents.sqlbackup.codec.EncryptionSettings;
import io.backupagents.sqlbackup.model.FromBackup;
import io.backupagents.sqlbackup.postgres.DatabaseNames;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validated settings of a restore: which backup, where to look for it, what the target gets, and
 * how strict the restore is.
 *
 * @param database the database a single-database backup is restored into; empty: a dumpall is
 *     restored into the server
 * @param databases of a dumpall, the databases to restore; empty: all of them
 * @param recoveryRoot RECOVERY_ROOT_DIR, the default work directory for downloads
 * @param roots local directories searched one tier level down, in order of preference
 * @param buckets the S3 locations searched too: the bucket of the legacy s3fs mode (where the
 *     backup action keeps the tiers) and the off-site copy, in that order, each with its endpoint
 *     settings
 */
public record RestoreSettings(
    FromBackup from,
    Optional<Duration> maxAge,
    OptionalInt expectedDatabases,
    boolean stopOnError,
    Optional<String> database,
    List<String> databases,
    Path recoveryRoot,
    List<Path> roots,
    Map<S3Location, S3Settings> buckets,
    Optional<Path> downloadDir,
    boolean createDatabase,
    boolean force,
    int jobs,
    Optional<Duration> timeout) {

  private static final Logger log = LoggerFactory.getLogger(RestoreSettings.class);

  /** Where backups are looked for. */
  public enum Source {
    ALL,
    LOCAL,
    S3
  }

  public RestoreSettings {
    roots = List.copyOf(roots);
    databases = List.copyOf(databases);
    buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
  }

  /**
   * Reads every restore setting, recording each problem in {@code r}. For verify ({@code
   * intoTarget} false) DATABASE names no target, so it is not checked.
   */
  public static RestoreSettings read(
      SettingsReader r,
      PostgresSettings postgres,
      HostEnvironment host,
      RestoreArguments args,
      boolean intoTarget) {
    FromBackup from =
        args.list()
            ? FromBackup.NONE
            : FromBackup.parse(args.from().orElseGet(() -> r.string(RestoreSetting.FROM_BACKUP)));
    int hours = r.integer(RestoreSetting.LATEST_BACKUP_MAXIMUM_AGE_H, 0, 1_000_000);
    OptionalInt expected =
        r.isSet(RestoreSetting.DATABASE_EXPECTED_COUNT)
            ? OptionalInt.of(r.integer(RestoreSetting.DATABASE_EXPECTED_COUNT, 1, 1_000_000))
            : OptionalInt.empty();
    Source source = r.choice(RestoreSetting.RESTORE_SOURCE, Source.class);
    Path recoveryRoot =
        absolutePath(r, RestoreSetting.RECOVERY_ROOT_DIR, host)
            .orElse(host.fileSystem().getPath("/recovery"));
    List<Path> roots = new ArrayList<>();
    if (source != Source.S3) {
      roots.add(recoveryRoot);
      absolutePath(r, BackupSetting.BACKUP_ROOT_DIR, host)
          .filter(p -> !roots.contains(p))
          .ifPresent(roots::add);
    }
    Map<S3Location, S3Settings> buckets = new LinkedHashMap<>();
    if (source != Source.S3) {
      // In the legacy s3fs mode the bucket was mounted as the backup volume: it is read in place.
      List<String> notes = new ArrayList<>();
      LegacySettings.bucketVolume(r, host, notes).ifPresent(v -> buckets.put(v.location(), v.s3()));
      notes.forEach(log::info);
    }
    if (source != Source.LOCAL) {
      // Where the off-site copy is the s3fs bucket itself, the bucket's endpoint settings are kept.
      BackupSettings.offsiteLocation(r)
          .ifPresent(l -> buckets.putIfAbsent(l, BackupSettings.offsiteS3(r)));
    }
    if (source == Source.S3
        && !r.isSet(BackupSetting.BACKUP_S3_URL)
        && !r.isSet(BackupSetting.USE_RCLONE)) {
      r.problem(
          "RESTORE_SOURCE=s3 needs the S3 location: set BACKUP_S3_URL (or USE_RCLONE and"
              + " USE_RCLONE_BUCKET_AND_PATH)");
    }
    Duration timeout = r.duration(RestoreSetting.RESTORE_TIMEOUT);
    Optional<String> target = intoTarget ? targetDatabase(r, postgres) : Optional.empty();
    List<String> chosen = chosenDatabases(r, args);
    if (!chosen.isEmpty() && target.isPresent()) {
      r.problem(
          "RESTORE_DATABASES (or --database) chooses databases of a dumpall, DATABASE names the"
              + " target of a single-database backup: set only one of them");
    }
    return new RestoreSettings(
        from,
        hours == 0 ? Optional.empty() : Optional.of(Duration.ofHours(hours)),
        expected,
        stopOnError(r),
        target,
        chosen,
        recoveryRoot,
        roots,
        buckets,
        absolutePath(r, RestoreSetting.RESTORE_DOWNLOAD_DIR, host),
        r.flag(RestoreSetting.RESTORE_CREATE_DATABASE),
        args.force() || r.flag(RestoreSetting.RESTORE_FORCE),
        r.integer(RestoreSetting.RESTORE_JOBS, 1, 64),
        timeout.isZero() ? Optional.empty() : Optional.of(timeout));
  }

  /** True when a whole-server dump (pg_dumpall) is wanted rather than one database. */
  public boolean wantsCluster() {
    return database.isEmpty();
  }

  /** The legacy switch: set means "keep going", except for the obvious negative values. */
  private static boolean stopOnError(SettingsReader r) {
    Optional<String> raw = r.optional(RestoreSetting.DO_NOT_STOP_ON_ERROR);
    return raw.isEmpty()
        || List.of("no", "n", "false", "0", "off")
            .contains(raw.get().strip().toLowerCase(Locale.ROOT));
  }

  private static Optional<String> targetDatabase(SettingsReader r, PostgresSettings postgres) {
    List<String> databases = postgres.databases();
    if (databases.size() > 1) {
      r.problem(
          "DATABASE="
              + String.join(",", databases)
              + ": a restore goes into one database; name only the one to restore into");
    }
    return databases.stream().findFirst();
  }

  private static List<String> chosenDatabases(SettingsReader r, RestoreArguments args) {
    if (!args.databases().isEmpty()) {
      return args.databases();
    }
    List<String> problems = new ArrayList<>();
    List<String> chosen =
        r.optional(RestoreSetting.RESTORE_DATABASES)
            .map(v -> DatabaseNames.parseList(v, "RESTORE_DATABASES", problems))
            .orElse(List.of());
    problems.forEach(r::problem);
    return chosen;
  }

  static Optional<Path> absolutePath(
      SettingsReader r,
      io.backupagents.common.settings.SettingDefinition setting,
      HostEnvironment host) {
    Optional<String> value = Optional.ofNullable(r.string(setting));
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path p = host.fileSystem().getPath(value.get());
      if (!p.isAbsolute()) {
        r.invalid(setting, "an absolute path");
        return Optional.empty();
      }
      return Optional.of(p.normalize());
    } catch (InvalidPathException e) {
      r.invalid(setting, "a file system path");
      return Optional.empty();
    }
  }

  /** BACKUP_DECRYPTION_KEY(_FILE) with its passphrase, unlocked; problems go to {@code r}. */
  public static Optional<DecryptionKey> decryptionKey(SettingsReader r) {
    return EncryptionSettings.decryptionKey(
        r, RestoreSetting.BACKUP_DECRYPTION_KEY, RestoreSetting.BACKUP_DECRYPTION_KEY_PASSPHRASE);
  }
}
