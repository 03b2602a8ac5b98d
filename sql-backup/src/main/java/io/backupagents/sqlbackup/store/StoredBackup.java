package io.backupagents.sqlbackup.store;

import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import java.time.Instant;

/**
 * A backup as a listing of a tier shows it.
 *
 * @param modified the file's modification time (the object's rclone mtime or upload time in S3)
 * @param checksumRecorded whether its {@code .sha256} file is there
 */
public record StoredBackup(
    Tier tier, BackupName name, long size, Instant modified, boolean checksumRecorded)
    implements Comparable<StoredBackup> {

  /** By name: oldest first. */
  @Override
  public int compareTo(StoredBackup other) {
    return name.compareTo(other.name);
  }
}
