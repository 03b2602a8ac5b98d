package io.backupagents.sqlbackup.lock;

/** A held lock on the backup store; closing releases it. */
public interface RunLock extends AutoCloseable {

  /**
   * Releases the lock; never throws (a lock that cannot be released goes stale and is taken over).
   */
  @Override
  void close();
}
