package io.backupagents.sqlbackup.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Three kinds of threads keep a pipe from the dump tool flowing: the caller only reads into free
 * blocks (so the tool is never kept waiting while there is room), the workers compress, and one
 * writer thread writes the blocks in order and returns them to the pool. Memory is bounded: at most
 * {@code 4 * threads + 4} blocks of about 300 KiB exist; the reader waits when all are in use.
 *
 * @see <a href="https://zlib.net/pigz/pigz.pdf">pigz: how the blocks are joined</a>
 */
public final class ParallelGzipOutputStream extends OutputStream {

  static final int BLOCK_SIZE = 128 * 1024;
  static final int WINDOW = 32 * 1024;
  private static final Future<Block> END = CompletableFuture.completedFuture(null);
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 // magic, deflate, no flags, no mtime, Unix
  };

  private final OutputStream out;
  private final ExecutorService workers;
  private final BlockingQueue<Block> free;
  private final BlockingQueue<Deflater> deflaters;
  private final BlockingQueue<Future<Block>> ordered = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final CRC32 crc = new CRC32();
  private final byte[] window = new byte[WINDOW];
  private final AtomicLong busyNanos = new AtomicLong();
  private int windowLength;
  private long inputBytes;
  private volatile long outputBytes;
  private volatile Throwable writeFailure;
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
    this.workers =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("gzip-", 1).factory());
    int blocks = 4 * threads + 4;
    this.free = new ArrayBlockingQueue<>(blocks);
    for (int i = 0; i < blocks; i++) {
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
    writer = Thread.ofPlatform().daemon().name("gzip-writer").start(this::writeInOrder);
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
    ordered.add(END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    }
    checkWriter();
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
    checkWriter();
    Block block = current;
    block.last = last;
    crc.update(block.input, 0, block.length);
    inputBytes += block.length;
    System.arraycopy(window, 0, block.dictionary, 0, windowLength);
    block.dictionaryLength = windowLength;
    slideWindow(block);
    ordered.add(workers.submit(() -> compress(block)));
    current = last ? null : take();
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

  /** The writer thread: writes compressed blocks in input order and returns them to the pool. */
  private void writeInOrder() {
    try {
      while (true) {
        Future<Block> next = ordered.take();
        if (next == END) {
          return;
        }
        Block block = next.get();
        out.write(block.output, 0, block.outputLength);
        outputBytes += block.outputLength;
        block.length = 0;
        block.outputLength = 0;
        free.add(block);
      }
    } catch (ExecutionException e) {
      writeFailure = e.getCause();
    } catch (IOException | RuntimeException e) {
      writeFailure = e;
    } catch (InterruptedException e) {
      writeFailure = e;
      Thread.currentThread().interrupt();
    }
  }

  /** Rethrows what stopped the writer, on the caller's thread. */
  private void checkWriter() throws IOException {
    Throwable failure = writeFailure;
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure != null) {
      throw new IOException("compression failed: " + failure, failure);
    }
  }

  /** A free block; waits while all are in use, unless the writer has stopped. */
  private Block take() throws IOException {
    try {
      while (true) {
        Block block = free.poll(100, TimeUnit.MILLISECONDS);
        if (block != null) {
          return block;
        }
        checkWriter();
      }
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
    writer.interrupt();
    ordered.forEach(f -> f.cancel(true));
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.MINUTES);
      writer.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deflaters.forEach(Deflater::end);
  }
}
