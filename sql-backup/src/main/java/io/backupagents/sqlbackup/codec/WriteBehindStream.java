package io.backupagents.sqlbackup.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes into a stream on a thread of its own: the caller copies into one of a few 1 MiB blocks and
 * goes on, a writer thread writes full blocks in order. zstd-jni hands its output to the stream
 * below it on the caller's thread, the one that reads the dump tool's pipe; behind this stream the
 * encryption, the SHA-256 and the file's writes run beside that reading instead of between two of
 * its reads (ParallelGzipOutputStream has a writer thread of its own for the same reason).
 *
 * <p>Measured with {@code bench/sql-backup}'s data (1.6 GB of dump, zstd -2, encrypted, two shared
 * cores), four interleaved rounds: 6.7 s median wall with it, 7.1 s without; unencrypted 6.2 s
 * either way.
 *
 * <p>Memory is bounded ({@value #BLOCKS} blocks). A failure of the stream below is thrown by the
 * next write, flush or close, wrapped in an {@link IOException} carrying it as the cause.
 */
final class WriteBehindStream extends OutputStream {

  static final int BLOCK_SIZE = 1 << 20;
  private static final int BLOCKS = 4;

  private record Block(byte[] bytes, int length) {}

  private static final Block END = new Block(new byte[0], 0);

  private final OutputStream out;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
  // One place more than the blocks: the end marker always fits.
  private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
  private final Thread writer;
  private volatile Throwable failure;
  private volatile boolean discarding;
  private byte[] current;
  private int length;
  private boolean ended;

  /** Starts the writer thread, which writes into {@code out} until close or abort. */
  WriteBehindStream(OutputStream out) {
    this.out = out;
    for (int i = 0; i < BLOCKS; i++) {
      free.add(new byte[BLOCK_SIZE]);
    }
    writer = Thread.ofPlatform().daemon().name("backup-writer").start(this::writeInOrder);
  }

  private void writeInOrder() {
    while (true) {
      Block block;
      try {
        block = full.take();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread but the JVM's end; the caller's next call finds it gone.
        failure = e;
        return;
      }
      if (block == END) {
        return;
      }
      if (failure == null && !discarding) {
        try {
          out.write(block.bytes(), 0, block.length());
        } catch (IOException | RuntimeException e) {
          failure = e;
        }
      }
      free.add(block.bytes());
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    while (len > 0) {
      if (current == null) {
        current = take();
        length = 0;
      }
      int n = Math.min(len, BLOCK_SIZE - length);
      System.arraycopy(b, off, current, length, n);
      length += n;
      off += n;
      len -= n;
      if (length == BLOCK_SIZE) {
        handOn();
      }
    }
  }

  /** Hands what is buffered to the writer thread (without waiting for it to be written). */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    if (current != null && length > 0) {
      handOn();
    }
  }

  /** Waits until everything written is in the stream below, then closes it. */
  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    try {
      flush();
    } finally {
      end();
    }
    rethrow();
    out.close();
  }

  /** Drops what is not written yet and ends the writer thread; the stream below stays open. */
  void abort() {
    if (ended) {
      return;
    }
    discarding = true;
    full.clear();
    try {
      end();
    } catch (InterruptedIOException e) {
      // The caller's failure is what counts; the daemon writer ends on its own.
    }
  }

  /** Whether the writer thread still runs (tests). */
  boolean writing() {
    return writer.isAlive();
  }

  private void end() throws InterruptedIOException {
    ended = true;
    // Never waits, even for an interrupted caller: at most every block and the end are queued.
    full.add(END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the backup was being written");
    }
  }

  private byte[] take() throws IOException {
    try {
      while (true) {
        // The writer returns every block, failed or not; the timeout notices a writer thread
        // that ended early (interrupted), which returns none.
        byte[] block = free.poll(1, TimeUnit.SECONDS);
        rethrow();
        if (block != null) {
          return block;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the backup was being written");
    }
  }

  private void handOn() throws IOException {
    try {
      full.put(new Block(current, length));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the backup was being written");
    }
    current = null;
    length = 0;
  }

  private void ensureOpen() throws IOException {
    if (ended) {
      throw new IOException("the stream is closed");
    }
    rethrow();
  }

  private void rethrow() throws IOException {
    Throwable f = failure;
    if (f != null) {
      throw new IOException(f.getMessage(), f);
    }
  }
}
