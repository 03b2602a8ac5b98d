package io.backupagents.sqlbackup.store;

import io.backupagents.common.s3.S3Clients;
import io.backupagents.sqlbackup.lock.BucketRunLock;
import io.backupagents.sqlbackup.lock.LockOwner;
import io.backupagents.sqlbackup.lock.LockSettings;
import io.backupagents.sqlbackup.lock.RunLock;
import io.backupagents.sqlbackup.lock.Sleeper;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Opens the bucket of the legacy s3fs mode for a run: client, store, lock. */
public final class BucketStores {

  private BucketStores() {}

  public static StoreSession open(
      BucketVolume volume, LockOwner me, LockSettings lockSettings, Clock clock, Sleeper sleeper)
      throws InterruptedException {
    S3AsyncClient client = S3Clients.create(volume.s3());
    try {
      BucketBackupStore store = new BucketBackupStore(client, volume.location(), volume.s3());
      RunLock lock =
          BucketRunLock.acquire(store.s3(), volume.location(), me, lockSettings, clock, sleeper);
      return new BucketSession(store, lock, client, volume.tempDir());
    } catch (RuntimeException | InterruptedException e) {
      client.close();
      throw e;
    }
  }
}
