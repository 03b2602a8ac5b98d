package io.backupagents.sqlbackup.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.ZipException;

/**
 * Decompresses a backup in a thread of its own, a few blocks ahead of the reader, as {@code gunzip
 * | psql} does in a process of its own: the reader (the SQL filter writing to psql) then never
 * waits for the inflater, and the two share the CPU. At most {@link #AHEAD} blocks of {@link
 * #BLOCK} bytes are held. A failure of the inflater (a corrupt file, an incomplete dump) reaches
 * the reader as an {@link IOException} at the point it occurred.
 */
final class InflatingStream extends InputStream {

  static final int BLOCK = 1 << 20;
  static final int AHEAD = 4;

  /** Checks the whole content once it has been read, e.g. for a dump's last line. */
  @FunctionalInterface
  interface EndCheck {
    void atEnd() throws IOException;
  }

  private record Chunk(byte[] bytes, int length, IOException failure) {
    static final Chunk END = new Chunk(new byte[0], 0, null);
  }

  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(AHEAD);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD + 2);
  private final Thread inflater;
  private Chunk current = new Chunk(new byte[0], 0, null);
  private int pos;
  private boolean ended;

  /**
   * Starts reading {@code source} (already decompressing) ahead; {@code seen} gets every block,
   * {@code end} runs after the last.
   */
  InflatingStream(InputStream source, Seen seen, EndCheck end) {
    inflater = Thread.ofPlatform().name("inflate").daemon().start(() -> produce(source, seen, end));
  }

  /** Receives each decompressed block, in order, in the inflating thread. */
  @FunctionalInterface
  interface Seen {
    void bytes(byte[] b, int length);
  }

  private void produce(InputStream source, Seen seen, EndCheck end) {
    try (source) {
      while (true) {
        byte[] block = free.poll();
        if (block == null) {
          block = new byte[BLOCK];
        }
        int n = source.readNBytes(block, 0, BLOCK);
        if (n > 0) {
          seen.bytes(block, n);
          queue.put(new Chunk(block, n, null));
        }
        if (n < BLOCK) {
          end.atEnd();
          queue.put(Chunk.END);
          return;
        }
      }
    } catch (ZipException | EOFException e) {
      offer(
          new Chunk(
              new byte[0],
              0,
              new UnsoundBackupException(
                  "the backup is not a complete gzip file (" + e.getMessage() + ")", e)));
    } catch (IOException e) {
      offer(new Chunk(new byte[0], 0, e));
    } catch (InterruptedException e) {
      // The reader closed the stream: nobody waits for more.
    } catch (RuntimeException e) {
      offer(new Chunk(new byte[0], 0, new IOException(e)));
    }
  }

  private void offer(Chunk failure) {
    try {
      queue.put(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == current.length()) {
      if (ended) {
        return -1;
      }
      if (current.length() == BLOCK) {
        free.offer(current.bytes()); // read to its end: the inflater may fill it again
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while decompressing the backup");
      }
      pos = 0;
      if (current.failure() != null) {
        ended = true;
        throw current.failure();
      }
      if (current == Chunk.END) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, current.length() - pos);
    System.arraycopy(current.bytes(), pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    inflater.interrupt();
    queue.clear();
  }
}
