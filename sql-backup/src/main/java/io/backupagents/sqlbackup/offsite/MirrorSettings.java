package io.backupagents.sqlbackup.offsite;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;

/**
 * The off-site copy: where to mirror the backup root, whether remote backups the root no longer has
 * are deleted, the deletion guard's limit, and how many files go up at once.
 */
public record MirrorSettings(
    S3Location location, S3Settings s3, boolean delete, int maxDeletePercent, int uploads) {

  public MirrorSettings {
    if (maxDeletePercent < 0 || maxDeletePercent > 100 || uploads < 1) {
      throw new IllegalArgumentException("invalid mirror settings");
    }
  }
}
