package io.backupagents.replicator.config;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/**
 * Every variable the volume-replicator reads besides the shared S3 ones: the new names first, then
 * the legacy image's variables, which keep their meaning.
 */
public enum ReplicatorSetting implements SettingDefinition {
  REPLICATE_SOURCE(
      Setting.of(
          "REPLICATE_SOURCE",
          null,
          "what to copy: a directory or s3://bucket/prefix (replaces REPLICATE_DIRECTION)")),
  REPLICATE_TARGET(
      Setting.of(
          "REPLICATE_TARGET",
          null,
          "where to copy it: a directory or s3://bucket/prefix (replaces REPLICATE_DIRECTION)")),
  REPLICATE_INCLUDE(
      Setting.of(
          "REPLICATE_INCLUDE",
          null,
          "comma-separated patterns; when set, only files matching one are synced (directories are"
              + " always walked)")),
  REPLICATE_EXCLUDE(
      Setting.of(
          "REPLICATE_EXCLUDE",
          null,
          "comma-separated patterns of entries to leave out (a trailing / matches directories"
              + " only); excluded target entries are never deleted; lost+found is always excluded")),
  REPLICATE_CHECKSUM(
      Setting.of(
          "REPLICATE_CHECKSUM",
          "no",
          "yes: files of equal size are compared by content (MD5 against S3) instead of by"
              + " modification time")),
  REPLICATE_MTIME_WINDOW(
      Setting.of(
          "REPLICATE_MTIME_WINDOW",
          "0",
          "modification times this close count as equal, e.g. 1s for targets that keep only"
              + " whole seconds")),
  MAX_DELETE(
      Setting.of(
          "MAX_DELETE",
          "50%",
          "refuse every deletion of a run that would delete more than this many files, or this"
              + " percentage of the target's files")),
  REPLICATE_DRY_RUN(
      Setting.of(
          "REPLICATE_DRY_RUN",
          "no",
          "yes: print the sync plan (copies, deletions, guard decisions) and change nothing")),
  REPLICATE_STRICT_VANISHED(
      Setting.of(
          "REPLICATE_STRICT_VANISHED",
          "no",
          "yes: end with exit code 9 when source files vanished or changed while being copied;"
              + " no: report them and succeed")),
  REPLICATE_CHECKERS(
      Setting.of(
          "REPLICATE_CHECKERS",
          null,
          "most metadata operations at once (directory listings, S3 HEADs, checksums); default 8"
              + " for a directory target, 32 for an S3 target")),
  REPLICATE_TRANSFERS(
      Setting.of(
          "REPLICATE_TRANSFERS",
          null,
          "most files copied at once; default 4 for a directory target, 32 for an S3 target")),
  REPLICATE_BWLIMIT(
      Setting.of(
          "REPLICATE_BWLIMIT",
          null,
          "bandwidth limit of all transfers together in bytes per second, e.g. 20M; empty: none")),
  REPLICATE_FSYNC(
      Setting.of(
          "REPLICATE_FSYNC",
          "end",
          "directory targets: end flushes the target file system once before the run counts as"
              + " done; each also flushes every file before its rename (slow); no flushes nothing,"
              + " as rsync")),
  REPLICATE_PROGRESS_INTERVAL(
      Setting.of(
          "REPLICATE_PROGRESS_INTERVAL",
          "30s",
          "how often a progress line (files and bytes done of total, rate, ETA) is logged")),
  REPLICATE_MANIFEST(
      Setting.of(
          "REPLICATE_MANIFEST",
          "yes",
          "yes: keep a manifest object per S3 location so that unchanged runs need no HEAD per"
              + " object (advisory: never used to decide deletions)")),
  REPLICATE_MANIFEST_PREFIX(
      Setting.of(
          "REPLICATE_MANIFEST_PREFIX",
          ".volume-replicator/manifests",
          "key prefix, in the S3 location's bucket, under which the manifests are kept")),
  REPLICATE_TARGET_NAME(
      Setting.of(
          "REPLICATE_TARGET_NAME",
          null,
          "the target label of the metrics and the Pushgateway grouping key (default: derived"
              + " from the target)")),
  SHARD_INDEX(
      Setting.of(
          "SHARD_INDEX",
          null,
          "this run's shard, 0 to SHARD_COUNT-1 (default: JOB_COMPLETION_INDEX, else 0)")),
  SHARD_COUNT(
      Setting.of(
          "SHARD_COUNT",
          "1",
          "how many shards split the path space; each copies and deletes only its own paths")),
  JOB_COMPLETION_INDEX(
      Setting.of(
          "JOB_COMPLETION_INDEX",
          null,
          "set by Kubernetes in an Indexed Job; the default of SHARD_INDEX")),

  REPLICATE_DIRECTION(
      Setting.of(
          "REPLICATE_DIRECTION",
          null,
          "legacy: AtoB copies VOLUME_A_DIR to VOLUME_B_DIR, BtoA the other way (or VOLUME_B_DIR"
              + " to S3 with USE_RCLONE=yes)")),
  VOLUME_A_DIR(Setting.of("VOLUME_A_DIR", "/volume-a", "legacy volume A")),
  VOLUME_B_DIR(Setting.of("VOLUME_B_DIR", "/volume-b", "legacy volume B")),
  REPLICATE_DELETE(
      Setting.of(
          "REPLICATE_DELETE",
          "yes",
          "yes: delete target entries the source does not have (after every copy succeeded, within"
              + " MAX_DELETE); no: never delete")),
  REPLICATE_QUIETLY(
      Setting.of(
          "REPLICATE_QUIETLY",
          "yes",
          "yes: no per-file lines; no (or false): log each copied, deleted or skipped entry")),
  USE_RCLONE(
      Setting.of(
          "USE_RCLONE",
          "no",
          "legacy: yes pushes VOLUME_B_DIR to s3://S3_BUCKET_NAME instead of to VOLUME_A_DIR")),
  S3_BUCKET_NAME(
      Setting.of(
          "S3_BUCKET_NAME", null, "legacy: the bucket of USE_RCLONE=yes and VOLUME_A_IS_S3=yes")),
  USE_DOW_FOR_RCLONE(
      Setting.of(
          "USE_DOW_FOR_RCLONE",
          "no",
          "legacy: yes writes under /<ISO weekday>-<day name> of the UTC date, e.g. /5-Friday")),
  USE_FIRST_OF_MONTH_FOR_RCLONE(
      Setting.of(
          "USE_FIRST_OF_MONTH_FOR_RCLONE",
          "no",
          "legacy: yes writes under /First-Of-Month on the 1st (UTC) instead")),
  RCLONE_EXTRA_OPTIONS(
      Setting.of(
          "RCLONE_EXTRA_OPTIONS",
          null,
          "legacy rclone flags: --bwlimit, --transfers, --checkers and --dry-run are mapped onto"
              + " the settings above; any other flag is refused")),
  VOLUME_A_IS_S3(
      Setting.of(
          "VOLUME_A_IS_S3",
          "no",
          "legacy: yes means volume A is s3://S3_BUCKET_NAME, read and written directly (the"
              + " legacy image mounted it with s3fs)")),
  AWS_ENDPOINTS(
      Setting.of(
          "AWS_ENDPOINTS",
          null,
          "legacy s3fs endpoint URL for VOLUME_A_IS_S3; S3_ENDPOINT wins when both are set")),
  S3_REQUEST_STYLE(
      Setting.of(
          "S3_REQUEST_STYLE", null, "legacy s3fs addressing for VOLUME_A_IS_S3: path or virtual"));

  private final Setting setting;

  ReplicatorSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
