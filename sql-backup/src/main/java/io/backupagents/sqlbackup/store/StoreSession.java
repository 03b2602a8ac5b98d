package io.backupagents.sqlbackup.store;

import io.backupagents.sqlbackup.lock.RunLock;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store opened for one run, with the run's lock held: where dumps are written before they are
 * published, and what to clean up. Closing releases the lock and whatever the session opened.
 */
public interface StoreSession extends AutoCloseable {

  BackupStore store();

  /** Where the dump for {@code name} is written before it is published (a new, hidden name). */
  Path tempFor(Tier tier, BackupName name) throws IOException;

  /** Removes what killed runs left behind; the lock is held, so nothing of a live run. */
  void removeLeftovers() throws IOException;

  /** Removes what is left of a dump after it was published or failed to be. */
  default void discard(VerifiedDump dump) throws IOException {
    Files.deleteIfExists(dump.file());
  }

  @Override
  void close();

  /** The session on a backup volume. */
  static StoreSession local(LocalBackupStore store, RunLock lock) {
    return new StoreSession() {
      @Override
      public BackupStore store() {
        return store;
      }

      @Override
      public Path tempFor(Tier tier, BackupName name) throws IOException {
        store.ensureTier(tier);
        return store.tempFor(tier, name);
      }

      @Override
      public void removeLeftovers() throws IOException {
        for (Tier t : Tier.values()) {
          store.removeLeftovers(t);
        }
      }

      @Override
      public void close() {
        lock.close();
      }
    };
  }
}
