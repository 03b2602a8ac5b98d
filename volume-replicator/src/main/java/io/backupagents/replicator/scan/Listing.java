package io.backupagents.replicator.scan;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.replicator.model.Entry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sorted stream of entries produced by a scanner on its own virtual thread and consumed by the
 * planner, through a small queue of batches: memory stays bounded however large the tree is, and
 * scanning overlaps with planning and copying.
 */
public final class Listing implements Iterator<Entry>, AutoCloseable {

  /** The scanner's side: fills the listing, then returns (or throws to fail it). */
  @FunctionalInterface
  public interface Producer {
    void produce(Writer out) throws Exception;
  }

  private static final List<Entry> END = new ArrayList<>(0);
  private static final int BATCH = 512;

  private final String name;
  private final BlockingQueue<List<Entry>> queue = new ArrayBlockingQueue<>(64);
  private final Thread thread;
  private volatile boolean closed;
  private volatile RuntimeException failure;
  private volatile boolean rootMissing;
  private List<Entry> current = List.of();
  private int position;
  private boolean ended;

  private Listing(String name, Producer producer) {
    this.name = name;
    this.thread =
        // A platform thread: an S3 listing talks over sockets from it (see Threads).
        Thread.ofPlatform()
            .daemon()
            .name("scan-" + name)
            .start(
                () -> {
                  Writer out = new Writer();
                  try {
                    producer.produce(out);
                    out.flush();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (AgentException e) {
                    failure = e;
                  } catch (Exception | Error e) {
                    failure =
                        new AgentException(
                            ExitCode.UNEXPECTED, "listing of " + name + " failed: " + e, e);
                  } finally {
                    offer(END);
                  }
                });
  }

  /** Starts {@code producer} on a virtual thread. */
  public static Listing start(String name, Producer producer) {
    return new Listing(name, producer);
  }

  /** An empty listing, e.g. for a location that does not exist yet. */
  public static Listing empty(String name, boolean rootMissing) {
    Listing l = new Listing(name, out -> {});
    l.rootMissing = rootMissing;
    return l;
  }

  /** Where the scanner writes, in key order, in batches. */
  public final class Writer {
    private List<Entry> batch = new ArrayList<>(BATCH);

    public void add(Entry e) throws InterruptedException {
      batch.add(e);
      if (batch.size() >= BATCH) {
        flush();
      }
    }

    public void flush() throws InterruptedException {
      if (!batch.isEmpty()) {
        put(batch);
        batch = new ArrayList<>(BATCH);
      }
    }

    /** Records that the root does not exist (the listing is then empty). */
    public void rootMissing() {
      rootMissing = true;
    }

    public boolean cancelled() {
      return closed;
    }
  }

  /** True when the root of the location did not exist; valid once the listing is exhausted. */
  public boolean rootMissing() {
    return rootMissing;
  }

  @Override
  public boolean hasNext() {
    while (position >= current.size()) {
      if (ended) {
        return false;
      }
      List<Entry> batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentException(ExitCode.OPERATION_FAILED, "interrupted while listing " + name);
      }
      if (batch == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return false;
      }
      current = batch;
      position = 0;
    }
    return true;
  }

  @Override
  public Entry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.get(position++);
  }

  private void put(List<Entry> batch) throws InterruptedException {
    while (!closed) {
      if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    throw new InterruptedException("listing closed");
  }

  private void offer(List<Entry> batch) {
    try {
      put(batch);
    } catch (InterruptedException e) {
      // Closed: nobody reads any more.
    }
  }

  /** Stops the scanner if it is still running and waits for it. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
