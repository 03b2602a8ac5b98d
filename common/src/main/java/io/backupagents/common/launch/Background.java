package io.backupagents.common.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started now on a thread of its own and waited for later, so that it overlaps with what the
 * caller does meanwhile; its failure reaches {@link #get} as thrown (an unchecked exception or an
 * interruption as it was, an {@link IOException} unchecked).
 *
 * @param <T> what the work returns
 */
public final class Background<T> implements AutoCloseable {

  private final String name;
  private final FutureTask<T> task;
  private final Thread thread;

  private Background(String name, Callable<T> work) {
    this.name = name;
    this.task = new FutureTask<>(work);
    // A platform thread: the work may talk over sockets (see Threads).
    this.thread = Threads.platform(name).newThread(task);
    thread.start();
  }

  /** Starts {@code work} on a new thread named {@code name}. */
  public static <T> Background<T> start(String name, Callable<T> work) {
    return new Background<>(name, work);
  }

  /** Waits for the work and returns its result, or throws what it threw. */
  public T get() throws InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error r -> throw r;
        case InterruptedException i -> throw i;
        case IOException i -> throw new UncheckedIOException(i);
        default -> throw new IllegalStateException(name + " failed", e.getCause());
      }
    } catch (CancellationException e) {
      throw new InterruptedException(name + " was cancelled");
    }
  }

  /** Stops the work if it is still running, and waits until its thread has ended. */
  @Override
  public void close() {
    if (!task.isDone()) {
      task.cancel(true);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
