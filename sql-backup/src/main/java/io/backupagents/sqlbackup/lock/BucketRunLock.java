package io.backupagents.sqlbackup.lock;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of the legacy s3fs mode, where the CronJobs share no volume: an object {@code
 * <prefix>/.sql-backup.lock} naming its owner. S3 has no compare-and-set on every store, so this is
 * best effort: write, wait a moment, read back, and own the lock only if our token is still there.
 * A lock older than {@code staleAfter} is taken over.
 */
public final class BucketRunLock implements RunLock {

  public static final String KEY = ".sql-backup.lock";

  private static final Logger log = LoggerFactory.getLogger(BucketRunLock.class);
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofSeconds(5);

  private final S3Store store;
  private final String key;
  private final LockOwner me;

  private BucketRunLock(S3Store store, String key, LockOwner me) {
    this.store = store;
    this.key = key;
    this.me = me;
  }

  public static RunLock acquire(
      S3Store store,
      S3Location location,
      LockOwner me,
      LockSettings settings,
      Clock clock,
      Sleeper sleeper)
      throws InterruptedException {
    String key = location.key(KEY);
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    while (true) {
      Optional<LockOwner> holder = read(store, key);
      boolean free =
          holder.isEmpty()
              || holder.get().started().plus(settings.staleAfter()).isBefore(clock.instant());
      if (free) {
        holder.ifPresent(
            h -> log.warn("taking over the stale lock of {} in {}", h.describe(), location));
        store.putBytes(key, me.format().getBytes(StandardCharsets.UTF_8), "text/plain");
        sleeper.sleep(SETTLE);
        Optional<LockOwner> now = read(store, key);
        if (now.isPresent() && now.get().token().equals(me.token())) {
          log.info("locked {} ({})", location, me.describe());
          return new BucketRunLock(store, key, me);
        }
        holder = now;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AgentException(
            ExitCode.LOCKED,
            "the bucket "
                + location
                + " is locked by "
                + holder.map(LockOwner::describe).orElse("another run")
                + "; waited "
                + settings.maxWait()
                + " (BACKUP_LOCK_WAIT)");
      }
      sleeper.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
    }
  }

  private static Optional<LockOwner> read(S3Store store, String key) {
    return store.getBytes(key).flatMap(b -> LockOwner.parse(new String(b, StandardCharsets.UTF_8)));
  }

  /**
   * Removes the lock only while it is still ours: a run that outlived {@code staleAfter} may have
   * been taken over, and deleting the new holder's lock would let a third run start beside it.
   */
  @Override
  public void close() {
    try {
      Optional<LockOwner> holder = read(store, key);
      if (holder.isPresent() && !holder.get().token().equals(me.token())) {
        log.warn(
            "the lock {} is now held by {} (this run's was taken over as stale); leaving it",
            key,
            holder.get().describe());
        return;
      }
      store.delete(java.util.List.of(key));
    } catch (RuntimeException e) {
      log.warn("could not remove the lock {}: {}", key, e.getMessage());
    }
  }
}
