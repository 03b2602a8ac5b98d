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
import java.util.function.IntFunction;
import java.util.zip.CRC32;

/**
 * A gzip stream (RFC 1952) whose blocks are compressed on several cores at once, as pigz does. The
 * input is cut into 1 MiB blocks that workers compress in parallel; a writer thread writes them in
 * order. What a block becomes depends on the {@link BlockCompressors engine}: with libdeflate, a
 * complete gzip member (the file is a series of members, as RFC 1952 allows and every gunzip
 * reads); with the JDK's zlib, raw deflate data compressed with the previous 32 KiB as its
 * dictionary and ended with a sync flush, so the blocks join into one deflate stream inside a
 * single member whose CRC-32 the reader computes. Either way {@code gzip -t}, {@code zcat} and
 * {@code gunzip -c | psql} read the output.
 *
 * <p>Three kinds of threads keep a pipe from the dump tool flowing: the caller only reads into free
 * blocks (so the tool is never kept waiting while there is room), the workers compress, and one
 * writer thread writes the blocks in order and returns them to the pool. Memory is bounded: at most
 * {@code 2 * threads + 4} blocks of about 2 MiB exist; the reader waits when all are in use.
 *
 * @see <a href="https://zlib.net/pigz/pigz.pdf">pigz: how the blocks are joined</a>
 */
public final class ParallelGzipOutputStream extends OutputStream {

  static final int BLOCK_SIZE = 1024 * 1024;
  static final int WINDOW = 32 * 1024;
  private static final Future<GzipBlock> END = CompletableFuture.completedFuture(null);
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 // magic, deflate, no flags, no mtime, Unix
  };

  private final OutputStream out;
  private final boolean wholeMembers;
  private final ExecutorService workers;
  private final BlockingQueue<GzipBlock> free;
  private final BlockingQueue<BlockCompressor> compressors;
  private final BlockingQueue<Future<GzipBlock>> ordered = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final CRC32 crc = new CRC32();
  private final byte[] window = new byte[WINDOW];
  private final AtomicLong busyNanos = new AtomicLong();
  private int windowLength;
  private long inputBytes;
  // Written by one thread at a time (the writer, then finish() after joining it); volatile
  // publishes it to outputBytes().
  private volatile long outputBytes;
  private volatile Throwable writeFailure;
  private GzipBlock current;
  private boolean finished;
  private boolean closed;

  /**
   * Compresses at {@code level} (1-9) on {@code threads} worker threads into {@code out}, with the
   * fastest engine this runtime has.
   */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this(out, level, threads, BlockCompressors.best());
  }

  /** Compresses as above with a given engine (tests compare them). */
  ParallelGzipOutputStream(OutputStream out, int level, int threads, BlockCompressors.Engine engine)
      throws IOException {
    if (level < 1 || level > 9 || threads < 1) {
      throw new IllegalArgumentException("level 1-9 and at least one thread");
    }
    IntFunction<BlockCompressor> factory = BlockCompressors.factory(engine);
    this.out = out;
    this.workers =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("gzip-", 1).factory());
    int blocks = 2 * threads + 4;
    this.free = new ArrayBlockingQueue<>(blocks);
    for (int i = 0; i < blocks; i++) {
      free.add(new GzipBlock(BLOCK_SIZE));
    }
    this.compressors = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      compressors.add(factory.apply(level));
    }
    this.wholeMembers = compressors.element().wholeMembers();
    if (!wholeMembers) {
      byte[] header = HEADER.clone();
      header[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0); // XFL: slowest / fastest
      out.write(header);
      outputBytes = header.length;
    }
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

  /**
   * Compresses what is left, writes the gzip trailer (of the single member) and flushes, without
   * closing the target.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer at a time; see outputBytes
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
    if (!wholeMembers) {
      long crcValue = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (crcValue >>> (8 * i));
        trailer[4 + i] = (byte) (inputBytes >>> (8 * i)); // ISIZE: length mod 2^32
      }
      out.write(trailer);
      outputBytes += trailer.length;
    }
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
    GzipBlock block = current;
    block.last = last;
    inputBytes += block.length;
    slideWindow(block);
    if (wholeMembers && last && block.length == 0 && inputBytes > 0) {
      // Members need no end marker: the last one written ends the file.
      free.add(block);
      current = null;
      return;
    }
    if (!wholeMembers) {
      crc.update(block.input, 0, block.length);
    }
    ordered.add(workers.submit(() -> compress(block)));
    current = last ? null : take();
  }

  /**
   * Gives the block the 32 KiB before it as its dictionary; the window becomes the last 32 KiB of
   * (window + block). The window also serves {@link #tail}, in both modes.
   */
  private void slideWindow(GzipBlock block) {
    block.dictionaryLength = wholeMembers ? 0 : windowLength;
    System.arraycopy(window, 0, block.dictionary, 0, block.dictionaryLength);
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

  private GzipBlock compress(GzipBlock block) throws InterruptedException {
    long start = System.nanoTime();
    BlockCompressor compressor = compressors.take();
    try {
      compressor.compress(block);
      return block;
    } finally {
      compressors.put(compressor);
      busyNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /** The writer thread: writes compressed blocks in input order and returns them to the pool. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer at a time; see outputBytes
  private void writeInOrder() {
    try {
      while (true) {
        Future<GzipBlock> next = ordered.take();
        if (next == END) {
          return;
        }
        GzipBlock block = next.get();
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
  private GzipBlock take() throws IOException {
    try {
      while (true) {
        GzipBlock block = free.poll(100, TimeUnit.MILLISECONDS);
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
    compressors.forEach(BlockCompressor::close);
  }
}
