package io.backupagents.common.launch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for work that may talk over sockets (JDBC, S3): platform threads, not virtual ones.
 * Blocking socket I/O on a virtual thread starts the JDK's poller thread, which from then on waits
 * in {@code epoll_wait}, and a JVM that has a thread in native code when it exits waits 0.3 s for
 * it (HotSpot's exit waits up to 30 times 10 ms for such threads): measured here, every run that
 * had done socket I/O on a virtual thread ended 0.3 s late. File and pipe I/O does not start the
 * poller; virtual threads stay right for those.
 */
public final class Threads {

  private Threads() {}

  /** Daemon platform threads named {@code prefix-0}, {@code prefix-1}, ... */
  public static ThreadFactory platform(String prefix) {
    return Thread.ofPlatform().daemon().name(prefix + "-", 0).factory();
  }

  /**
   * An executor running each task on a daemon platform thread, reusing idle ones (callers cap how
   * many run at once).
   */
  public static ExecutorService pool(String prefix) {
    return Executors.newCachedThreadPool(platform(prefix));
  }
}
