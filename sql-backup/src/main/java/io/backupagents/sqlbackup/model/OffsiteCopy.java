package io.backupagents.sqlbackup.model;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;

/**
 * The off-site copy: where the backup root is mirrored, whether remote backups the root no longer
 * has are deleted, the deletion guard's limit, and how many files go up at once. Restores search
 * its location too.
 *
 * @param location the bucket and prefix ({@code BACKUP_S3_URL})
 * @param s3 the endpoint and credentials
 * @param delete whether remote backups the root no longer has are deleted
 * @param maxDeletePercent the deletion guard: the largest share of remote backups one run deletes
 * @param uploads files uploaded at the same time
 */
public record OffsiteCopy(
    S3Location location, S3Settings s3, boolean delete, int maxDeletePercent, int uploads) {

  public OffsiteCopy {
    if (maxDeletePercent < 0 || maxDeletePercent > 100 || uploads < 1) {
      throw new IllegalArgumentException("invalid off-site copy settings");
    }
  }
}
