package io.backupagents.replicator.execute;

import io.backupagents.common.launch.Threads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Two capped groups of threads: checks (metadata work) and transfers (data), on platform threads
 * because S3 work talks over sockets (see {@link Threads}). Submitting blocks while a group is at
 * its cap, which paces the planner to the slower of the two. A check that turns into a copy takes a
 * transfer permit too, so transfers stay within their cap.
 */
public final class Workers implements AutoCloseable {

  /** Work that may throw; failures are handled by the task itself. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private final int checkers;
  private final int transfers;
  private final Semaphore checkPermits;
  private final Semaphore transferPermits;
  private final ExecutorService threads = Threads.pool("worker");

  public Workers(int checkers, int transfers) {
    this.checkers = checkers;
    this.transfers = transfers;
    this.checkPermits = new Semaphore(checkers);
    this.transferPermits = new Semaphore(transfers);
  }

  /** Runs {@code task} as a check, once a check permit is free. */
  public void check(Runnable task) {
    submit(checkPermits, task);
  }

  /** Runs {@code task} as a transfer, once a transfer permit is free. */
  public void transfer(Runnable task) {
    submit(transferPermits, task);
  }

  /** Within a check: runs {@code task} under a transfer permit as well. */
  public void asTransfer(Task task) throws Exception {
    transferPermits.acquire();
    try {
      task.run();
    } finally {
      transferPermits.release();
    }
  }

  private void submit(Semaphore permits, Runnable task) {
    permits.acquireUninterruptibly();
    try {
      threads.execute(
          () -> {
            try {
              task.run();
            } finally {
              permits.release();
            }
          });
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** Waits until every submitted task has finished. */
  public void awaitIdle() {
    // Checks first: a check may still start a transfer until it ends.
    checkPermits.acquireUninterruptibly(checkers);
    checkPermits.release(checkers);
    transferPermits.acquireUninterruptibly(transfers);
    transferPermits.release(transfers);
  }

  @Override
  public void close() {
    threads.close();
  }
}
