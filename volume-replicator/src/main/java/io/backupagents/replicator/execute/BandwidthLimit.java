package io.backupagents.replicator.execute;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket shared by all transfers: {@link #acquire} blocks until the bytes fit within the
 * rate (with a one-second burst). No lock is held while sleeping.
 */
public final class BandwidthLimit {

  /** Where the limit reads the time and how it waits: the system's, or a test's own. */
  public interface Timer {
    long nanoTime();

    void sleep(long nanos) throws InterruptedException;

    /** {@link System#nanoTime()} and a real sleep. */
    Timer SYSTEM =
        new Timer() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
          }
        };
  }

  private final long bytesPerSecond;
  private final Timer timer;
  private final ReentrantLock lock = new ReentrantLock();
  private long nextFreeNanos = Long.MIN_VALUE; // nothing sent yet

  private BandwidthLimit(long bytesPerSecond, Timer timer) {
    this.bytesPerSecond = bytesPerSecond;
    this.timer = timer;
  }

  /** A limit, or null for none. */
  public static BandwidthLimit of(long bytesPerSecond) {
    return of(bytesPerSecond, Timer.SYSTEM);
  }

  /** A limit that reads the time from and waits with {@code timer}, or null for none. */
  public static BandwidthLimit of(long bytesPerSecond, Timer timer) {
    return bytesPerSecond > 0 ? new BandwidthLimit(bytesPerSecond, timer) : null;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Waits until {@code bytes} may be sent. */
  public void acquire(long bytes) throws InterruptedException {
    long wait;
    lock.lock();
    try {
      long now = timer.nanoTime();
      // Unused capacity of at most one second carries over; more would be a longer burst.
      long start = Math.max(nextFreeNanos, now - TimeUnit.SECONDS.toNanos(1));
      nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
      wait = nextFreeNanos - now;
    } finally {
      lock.unlock();
    }
    if (wait > 0) {
      timer.sleep(wait);
    }
  }
}
