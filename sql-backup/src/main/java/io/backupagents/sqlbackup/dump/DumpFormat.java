package io.backupagents.sqlbackup.dump;

import io.backupagents.sqlbackup.model.BackupName;

/** How pg_dump writes a backup, and the file format it is stored in. */
public enum DumpFormat {
  /** Plain SQL through our parallel gzip: the legacy format, restored with psql. */
  PLAIN(BackupName.Format.SQL_GZ),
  /** pg_dump's custom archive (compressed by pg_dump), restored with pg_restore. */
  CUSTOM(BackupName.Format.CUSTOM),
  /** pg_dump's directory format, dumped with parallel jobs and stored as one tar file. */
  DIRECTORY(BackupName.Format.DIRECTORY_TAR);

  private final BackupName.Format stored;

  DumpFormat(BackupName.Format stored) {
    this.stored = stored;
  }

  /** The format of the published file. */
  public BackupName.Format stored() {
    return stored;
  }
}
