package io.backupagents.sqlbackup.store;

import io.backupagents.common.s3.S3Connection;
import io.backupagents.sqlbackup.lock.BucketRunLock;
import io.backupagents.sqlbackup.lock.LockOwner;
import io.backupagents.sqlbackup.lock.LockSettings;
import io.backupagents.sqlbackup.lock.RunLock;
import io.backupagents.sqlbackup.lock.Sleeper;
import java.time.Clock;

/** Opens the bucket of the legacy s3fs mode for a run: client, store, lock. */
public final class BucketStores {

  private BucketStores() {}

  public static StoreSession open(
      BucketVolume volume, LockOwner me, LockSettings lockSettings, Clock clock, Sleeper sleeper)
      throws InterruptedException {
    S3Connection connection = S3Connection.open(volume.s3());
    try {
      BucketBackupStore store = new BucketBackupStore(connection, volume.location());
      RunLock lock =
          BucketRunLock.acquire(store.s3(), volume.location(), me, lockSettings, clock, sleeper);
      return new BucketSession(store, lock, connection, volume.tempDir());
    } catch (RuntimeException | InterruptedException e) {
      connection.close();
      throw e;
    }
  }
}
