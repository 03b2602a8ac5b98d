package io.backupagents.sqlbackup.store;

import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import java.io.IOException;
import java.util.List;

/** Where the tiers live: the backup volume, or a bucket in the legacy s3fs mode. */
public interface BackupStore {

  /** Where, for logs: a path or an s3:// URL. */
  String describe();

  /** Short name of the location kind for metrics: {@code local} or {@code s3}. */
  String location();

  /** The backups of {@code tier}, oldest first; files that are not ours are not listed. */
  List<StoredBackup> list(Tier tier) throws IOException;

  /**
   * Makes a verified dump a backup of {@code tier}: its checksum record first, then the backup
   * under its final name, so a backup is never visible before it is complete.
   */
  StoredBackup publish(VerifiedDump dump, Tier tier) throws IOException;

  /** Copies {@code name} from one tier to another under the same name, replacing it there. */
  StoredBackup promote(Tier from, BackupName name, Tier to) throws IOException;

  /** Deletes a backup and its checksum record (under either name). */
  void delete(Tier tier, BackupName name) throws IOException;

  /**
   * Puts the checksum records of {@code tier} in order: renames records that still have the name
   * earlier versions gave them ({@code backup-….sha256}, which legacy {@code backup*} globs take
   * for a backup) to {@link BackupName#checksumFileName()}, and removes records whose backup is
   * gone. Returns how many records it renamed or removed.
   */
  int tidyRecords(Tier tier) throws IOException;
}
