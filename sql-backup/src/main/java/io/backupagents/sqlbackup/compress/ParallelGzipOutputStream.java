package io.backupagents.sqlbackup.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream (RFC 1952) whose blocks are compressed on several cores at once, as pigz does: the
 * input is cut into 128 KiB blocks, each deflated on a worker with the previous 32 KiB as its
 * dictionary (so the ratio stays that of gzip) and ended with a sync flush (so the blocks join into
 * one deflate stream on byte boundaries). Blocks are written in order; one CRC-32 covers the whole
 * input. The output is a single standard gzip member: {@code gzip -t}, {@code zcat} and {@code
 * gunzip -c | psql} read it.
 *
 * <p>Memory is bounded: at most {@code 2 * threads + 2} blocks exist at once, recycled through a
 * pool; a writer that gets ahead of the workers waits for the oldest block.
 *
 * @see <a href="https://zlib.net/pigz/pigz.pdf">pigz: how the blocks are joined</a>
 */
public final class ParallelGzipOutputStream extends OutputStream {

  static final int BLOCK_SIZE = 128 * 1024;
  static final int WINDOW = 32 * 1024;
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 // magic, deflate, no flags, no mtime, Unix
  };

  private final OutputStream out;
  private final ExecutorService workers;
  private final BlockingQueue<Block> free;
  private final BlockingQueue<Deflater> deflaters;
  private final ArrayDeque<Future<Block>> pending = new ArrayDeque<>();
  private final int maxPending;
  private final CRC32 crc = new CRC32();
  private final byte[] window = new byte[WINDOW];
  private final AtomicLong busyNanos = new AtomicLong();
  private int windowLength;
  private long inputBytes;
  private long outputBytes;
  private Block current;
  private boolean finished;
  private boolean closed;

  /** One block's input, its dictionary, and its compressed output. */
  private static final class Block {
    final byte[] input = new byte[BLOCK_SIZE];
    final byte[] dictionary = new byte[WINDOW];
    byte[] output = new byte[BLOCK_SIZE + BLOCK_SIZE / 8 + 256];
    int length;
    int dictionaryLength;
    int outputLength;
    boolean last;
  }

  /** Compresses at {@code level} (1-9) on {@code threads} worker threads into {@code out}. */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    if (level < 1 || level > 9 || threads < 1) {
      throw new IllegalArgumentException("level 1-9 and at least one thread");
    }
    this.out = out;
    this.maxPending = 2 * threads;
    this.workers =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("gzip-", 1).factory());
    this.free = new ArrayBlockingQueue<>(maxPending + 2);
    for (int i = 0; i < maxPending + 2; i++) {
      free.add(new Block());
    }
    this.deflaters = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      deflaters.add(new Deflater(level, true));
    }
    byte[] header = HEADER.clone();
    header[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0); // XFL: slowest / fastest
    out.write(header);
    outputBytes = header.length;
    current = free.remove();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    while (len > 0) {
      int n = Math.min(len, BLOCK_SIZE - current.length);
      System.arraycopy(b, off, current.input, current.length, n);
      current.length += n;
      off += n;
      len -= n;
      if (current.length == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /**
   * Reads {@code in} to its end straight into blocks (no intermediate copy). Returns the bytes
   * read.
   */
  public long transferFrom(InputStream in) throws IOException {
    ensureOpen();
    long total = 0;
    while (true) {
      int n = in.read(current.input, current.length, BLOCK_SIZE - current.length);
      if (n < 0) {
        return total;
      }
      total += n;
      current.length += n;
      if (current.length == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /** Does nothing: a partial block is only compressed when full or at the end. */
  @Override
  public void flush() {}

  /** Compresses what is left, writes the gzip trailer and flushes, without closing the target. */
  public void finish() throws IOException {
    ensureOpen();
    submit(true);
    while (!pending.isEmpty()) {
      writeOldest();
    }
    long crcValue = crc.getValue();
    byte[] trailer = new byte[8];
    for (int i = 0; i < 4; i++) {
      trailer[i] = (byte) (crcValue >>> (8 * i));
      trailer[4 + i] = (byte) (inputBytes >>> (8 * i)); // ISIZE: length mod 2^32
    }
    out.write(trailer);
    outputBytes += trailer.length;
    out.flush();
    finished = true;
  }

  /** Finishes the stream if it was not, stops the workers and closes the target. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (!finished) {
        finish();
      }
    } finally {
      release();
      out.close();
    }
  }

  /** Stops the workers and drops pending blocks without writing anything more (on failure). */
  public void abort() {
    release();
  }

  /** Uncompressed bytes accepted so far. */
  public long inputBytes() {
    return inputBytes;
  }

  /** Compressed bytes written so far, header and trailer included. */
  public long outputBytes() {
    return outputBytes;
  }

  /** Time the workers spent compressing, summed over threads, in nanoseconds. */
  public long busyNanos() {
    return busyNanos.get();
  }

  /** The last {@code n} (at most 32 KiB) bytes of input accepted so far, e.g. a dump's trailer. */
  public byte[] tail(int n) {
    int buffered = current == null ? 0 : current.length;
    int k = Math.min(Math.min(n, WINDOW), windowLength + buffered);
    byte[] result = new byte[k];
    int fromCurrent = Math.min(k, buffered);
    int fromWindow = k - fromCurrent;
    System.arraycopy(window, windowLength - fromWindow, result, 0, fromWindow);
    if (fromCurrent > 0) {
      System.arraycopy(current.input, buffered - fromCurrent, result, fromWindow, fromCurrent);
    }
    return result;
  }

  private void submit(boolean last) throws IOException {
    Block block = current;
    block.last = last;
    crc.update(block.input, 0, block.length);
    inputBytes += block.length;
    System.arraycopy(window, 0, block.dictionary, 0, windowLength);
    block.dictionaryLength = windowLength;
    slideWindow(block);
    pending.add(workers.submit(() -> compress(block)));
    if (last) {
      current = null;
      return;
    }
    while (pending.size() >= maxPending || pending.peek().isDone()) {
      writeOldest();
      if (pending.isEmpty()) {
        break;
      }
    }
    current = take();
  }

  /** The window becomes the last 32 KiB of (window + block). */
  private void slideWindow(Block block) {
    if (block.length >= WINDOW) {
      System.arraycopy(block.input, block.length - WINDOW, window, 0, WINDOW);
      windowLength = WINDOW;
      return;
    }
    int keep = Math.min(windowLength, WINDOW - block.length);
    System.arraycopy(window, windowLength - keep, window, 0, keep);
    System.arraycopy(block.input, 0, window, keep, block.length);
    windowLength = keep + block.length;
  }

  private Block compress(Block block) throws InterruptedException {
    long start = System.nanoTime();
    Deflater deflater = deflaters.take();
    try {
      deflater.reset();
      if (block.dictionaryLength > 0) {
        deflater.setDictionary(block.dictionary, 0, block.dictionaryLength);
      }
      deflater.setInput(block.input, 0, block.length);
      if (block.last) {
        deflater.finish();
      }
      int flush = block.last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH;
      int pos = 0;
      while (true) {
        if (pos == block.output.length) {
          block.output = java.util.Arrays.copyOf(block.output, block.output.length * 2);
        }
        int room = block.output.length - pos;
        int n = deflater.deflate(block.output, pos, room, flush);
        pos += n;
        // A sync flush is complete when it did not fill the space it was given.
        if (block.last ? deflater.finished() : n < room) {
          break;
        }
      }
      block.outputLength = pos;
      return block;
    } finally {
      deflaters.put(deflater);
      busyNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private void writeOldest() throws IOException {
    Block block;
    try {
      block = pending.removeFirst().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("compression failed: " + e.getCause(), e.getCause());
    }
    out.write(block.output, 0, block.outputLength);
    outputBytes += block.outputLength;
    block.length = 0;
    block.outputLength = 0;
    free.add(block);
  }

  private Block take() throws IOException {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    }
  }

  private void ensureOpen() throws IOException {
    if (closed || finished) {
      throw new IOException("the gzip stream is finished");
    }
  }

  private void release() {
    if (closed) {
      return;
    }
    closed = true;
    pending.forEach(f -> f.cancel(true));
    pending.clear();
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deflaters.forEach(Deflater::end);
  }
}
