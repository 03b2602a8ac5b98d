package io.backupagents.sqlbackup.source;

import io.backupagents.sqlbackup.model.BackupName;
import java.util.List;

/**
 * A backup as the search found it: its name and every copy of it (the same name in several tiers or
 * places is one backup), local copies first.
 */
public record FoundBackup(BackupName name, List<BackupCopy> copies) {

  public FoundBackup {
    if (copies.isEmpty()) {
      throw new IllegalArgumentException("a found backup has at least one copy");
    }
    copies = List.copyOf(copies);
  }

  /** True for a whole-server dump (pg_dumpall), which only plain SQL can be. */
  public boolean isDumpall() {
    return name.label().equals(BackupName.DUMPALL) && name.format().plain();
  }

  /** The size of the preferred copy. */
  public long size() {
    return copies.get(0).size();
  }

  public boolean hasChecksum() {
    return copies.stream().anyMatch(BackupCopy::hasChecksum);
  }

  @Override
  public String toString() {
    return name.fileName();
  }
}
