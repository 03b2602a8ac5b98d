package io.backupagents.sqlbackup.dump;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Writes a backup file and has what was written so far flushed to disk ({@code fdatasync}) on a
 * thread of its own every {@code every} bytes, while the dump goes on. Without it the whole file
 * stays in the page cache, as dirty pages counted against the pod's memory, until the final fsync
 * writes it all at once: 0.10 s for the 180 MiB of {@code bench/sql-backup}'s zstd backup on this
 * machine's disk, longer on network volumes, before the backup can be published. With it the final
 * fsync writes the last part only.
 *
 * <p>A failed flush fails the backup: its error is thrown by the next write or by {@link #finish()}
 * (after a failed fsync the kernel may report the next one as successful, so the error must not be
 * lost). At most one flush runs at a time; one due while another runs is left to the next, which
 * covers everything written before it.
 */
final class WritebackStream extends FilterOutputStream {

  /** Flushes everything written so far to disk. */
  @FunctionalInterface
  interface Flush {
    void flush() throws IOException;
  }

  private final Flush flush;
  private final long every;
  private long written;
  private long nextFlushAt;
  // Set by the writing thread, joined by the one that finishes (not always the same thread).
  private volatile Thread running;
  private volatile IOException failure;

  /** Writes into {@code out}, calling {@code flush} in the background every {@code every} bytes. */
  WritebackStream(OutputStream out, Flush flush, long every) {
    super(out);
    this.flush = flush;
    this.every = every;
    this.nextFlushAt = every;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    throwIfFailed();
    out.write(b, off, len);
    written += len;
    if (written >= nextFlushAt && (running == null || !running.isAlive())) {
      nextFlushAt = written + every;
      running = Thread.ofPlatform().daemon().name("backup-writeback").start(this::flushNow);
    }
  }

  private void flushNow() {
    try {
      flush.flush();
    } catch (IOException e) {
      failure = e;
    }
  }

  /**
   * Waits for the flush that runs, if any, and throws its failure or an earlier one. The caller
   * then makes the file durable itself (the last part is not flushed here).
   */
  void finish() throws IOException {
    if (running != null) {
      try {
        running.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the backup file was flushed to disk");
      }
    }
    throwIfFailed();
  }

  private void throwIfFailed() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw new IOException("flushing the backup file to disk failed: " + e.getMessage(), e);
    }
  }
}
