package io.backupagents.sqlbackup.settings;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Settings of the backup and list actions (legacy names from the sql-backup image kept). */
public enum BackupSetting implements SettingDefinition {
  BACKUP_TYPE(
      Setting.of(
          "BACKUP_TYPE",
          "hourly",
          "the tier this run fills: hourly makes a new dump; daily, weekly and monthly promote"
              + " the oldest backup of BACKUP_PRIOR_TYPE (any case)")),
  BACKUP_COUNT(
      Setting.of(
          "BACKUP_COUNT",
          "24",
          "backups to keep in this tier, per database; at least 1 (the newest is never pruned)")),
  BACKUP_PRIOR_TYPE(
      Setting.of(
          "BACKUP_PRIOR_TYPE",
          "hourly",
          "the tier a promotion copies from: hourly, daily or weekly (a lower tier than"
              + " BACKUP_TYPE)")),
  BACKUP_PRIOR_COUNT(
      Setting.of(
          "BACKUP_PRIOR_COUNT", null, "obsolete since legacy 15.8: accepted and ignored (logged)")),
  BACKUP_ROOT_DIR(
      Setting.of(
          "BACKUP_ROOT_DIR", "/backup", "the backup volume: one directory per tier below it")),
  BACKUP_TEMP_DIR(
      Setting.of(
          "BACKUP_TEMP_DIR",
          "/tmp",
          "with BACKUP_VOLUME_IS_S3: where a dump is written before its upload")),
  DUMP_FORMAT(
      Setting.of(
          "DUMP_FORMAT",
          "plain",
          "plain (SQL, gzip-compressed: .sql.gz, restored with psql), custom (pg_dump -Fc: .dump)"
              + " or directory (pg_dump -Fd, parallel with DUMP_JOBS, stored as a tar:"
              + " .dir.tar); custom and directory need DATABASE")),
  DUMP_JOBS(
      Setting.of(
          "DUMP_JOBS",
          "1",
          "parallel pg_dump jobs (pg_dump -j); more than 1 needs DUMP_FORMAT=directory")),
  DUMP_TIMEOUT(
      Setting.of(
          "DUMP_TIMEOUT", "6h", "a dump running longer is killed and the run fails (0: no limit)")),
  BACKUP_COMPRESSION(
      Setting.of(
          "BACKUP_COMPRESSION",
          "gzip",
          "gzip (.sql.gz, what legacy restores read) or zstd (.sql.zst: faster, smaller; zstd -dc"
              + " reads it); custom and directory dumps pass zstd to pg_dump 16 and later")),
  BACKUP_COMPRESSION_LEVEL(
      Setting.of(
          "BACKUP_COMPRESSION_LEVEL",
          null,
          "gzip 1 (fastest) to 9 (smallest), default 6 (gzip's); zstd 1 to 19, default 2")),
  BACKUP_COMPRESSION_THREADS(
      Setting.of(
          "BACKUP_COMPRESSION_THREADS",
          "0",
          "threads compressing blocks in parallel; 0: one per available core")),
  BACKUP_ENCRYPTION_RECIPIENTS(
      Setting.of(
              "BACKUP_ENCRYPTION_RECIPIENTS",
              null,
              "OpenPGP public keys (armored, as gpg --export --armor writes them; several blocks"
                  + " may follow each other): every backup is encrypted to all of them as it is"
                  + " written (.gpg); public keys are not secret, the value is only masked for"
                  + " its length, and their fingerprints are logged")
          .asSecret()),
  BACKUP_LOCK_WAIT(
      Setting.of(
          "BACKUP_LOCK_WAIT",
          "30m",
          "how long to wait for another run's lock on the backup root before failing (LOCKED)")),
  BACKUP_LOCK_STALE_AFTER(
      Setting.of(
          "BACKUP_LOCK_STALE_AFTER",
          "12h",
          "a lock older than this is taken over where the lock cannot be checked for a live"
              + " owner (file systems without locks, the bucket in BACKUP_VOLUME_IS_S3 mode)")),
  BACKUP_PRE_EXIT_SLEEP_M(
      Setting.of(
          "BACKUP_PRE_EXIT_SLEEP_M",
          "0",
          "debugging aid: minutes to sleep before the off-site copy")),
  POST_DEBUG(
      Setting.of(
          "POST_DEBUG",
          null,
          "debugging aid: any value keeps the container sleeping after the run (its outcome is"
              + " logged first) until the pod is deleted")),
  USE_RCLONE(
      Setting.of(
          "USE_RCLONE",
          null,
          "legacy switch: any value turns on the off-site copy to USE_RCLONE_BUCKET_AND_PATH")),
  BACKUP_S3_URL(
      Setting.of(
              "BACKUP_S3_URL",
              null,
              "off-site copy: s3://bucket/prefix (or the legacy /bucket/prefix) mirrored after each"
                  + " hourly run; under its legacy name only together with USE_RCLONE")
          .withAliases("USE_RCLONE_BUCKET_AND_PATH")),
  BACKUP_S3_DELETE(
      Setting.of(
          "BACKUP_S3_DELETE",
          "yes",
          "yes: the off-site copy deletes remote backups the root no longer has (as rclone sync);"
              + " no: it only adds")),
  BACKUP_S3_MAX_DELETE_PERCENT(
      Setting.of(
          "BACKUP_S3_MAX_DELETE_PERCENT",
          "50",
          "deletion guard: refuse (GUARD_REFUSED) a mirror run that would delete more than this"
              + " share of the remote backups; never delete when the root holds no backup")),
  BACKUP_S3_UPLOADS(
      Setting.of("BACKUP_S3_UPLOADS", "4", "files uploaded at the same time by the off-site copy")),
  BACKUP_VOLUME_IS_S3(
      Setting.of(
          "BACKUP_VOLUME_IS_S3",
          null,
          "legacy s3fs mode: any value (but no/false/0) makes the bucket AWS_BUCKET_NAME the"
              + " backup store, read and written directly (no mount)")),
  AWS_BUCKET_NAME(
      Setting.of(
          "AWS_BUCKET_NAME",
          null,
          "with BACKUP_VOLUME_IS_S3: the bucket (optionally bucket/prefix) holding the tiers")),
  BACKUP_VOLUME_S3_URL(
      Setting.of(
          "BACKUP_VOLUME_S3_URL",
          null,
          "with BACKUP_VOLUME_IS_S3: the endpoint URL (s3fs url=); same as S3_ENDPOINT")),
  BACKUP_VOLUME_S3_REQUEST_STYLE(
      Setting.of(
          "BACKUP_VOLUME_S3_REQUEST_STYLE",
          null,
          "with BACKUP_VOLUME_IS_S3: path or virtual (s3fs use_path_request_style); same as"
              + " S3_FORCE_PATH_STYLE")),
  RSYNC_HOST(
      Setting.of(
          "RSYNC_HOST",
          null,
          "legacy rsync-over-ssh copy: not carried over (it put the password on a command line);"
              + " refused at start-up")),
  RSYNC_USER(Setting.of("RSYNC_USER", null, "legacy rsync copy: refused, see RSYNC_HOST")),
  RSYNC_PASS(
      Setting.of("RSYNC_PASS", null, "legacy rsync copy: refused, see RSYNC_HOST").asSecret()),
  RSYNC_PATH(Setting.of("RSYNC_PATH", null, "legacy rsync copy: refused, see RSYNC_HOST"));

  private final Setting setting;

  BackupSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
