package io.backupagents.replicator.execute;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket shared by all transfers: {@link #acquire} blocks until the bytes fit within the
 * rate (with a one-second burst). No lock is held while sleeping.
 */
public final class BandwidthLimit {

  private final long bytesPerSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private long nextFreeNanos;

  private BandwidthLimit(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** A limit, or null for none. */
  public static BandwidthLimit of(long bytesPerSecond) {
    return bytesPerSecond > 0 ? new BandwidthLimit(bytesPerSecond) : null;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Waits until {@code bytes} may be sent. */
  public void acquire(long bytes) throws InterruptedException {
    long wait;
    lock.lock();
    try {
      long now = System.nanoTime();
      // Unused capacity of at most one second carries over; more would be a longer burst.
      long start = Math.max(nextFreeNanos, now - TimeUnit.SECONDS.toNanos(1));
      nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
      wait = nextFreeNanos - now;
    } finally {
      lock.unlock();
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
