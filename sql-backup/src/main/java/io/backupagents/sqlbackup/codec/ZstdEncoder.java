package io.backupagents.sqlbackup.codec;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * zstd through zstd-jni with the library's own worker threads (zstd's multi-threaded mode: one
 * frame, compressed in parallel jobs), and each frame's content checksum, which {@code zstd -t} and
 * every decoder check. What it writes goes on through a {@link WriteBehindStream}, so the thread
 * that reads the dump never waits for the encryption or the file.
 */
final class ZstdEncoder implements PlainEncoder {

  private static final int BUFFER = 1 << 20;

  private final ZstdOutputStreamNoFinalizer zstd;
  private final WriteBehindStream stored;
  private final byte[] tail = new byte[4096];
  private long input;
  private boolean finished;

  ZstdEncoder(OutputStream stored, int level, int threads) throws IOException {
    this.stored = new WriteBehindStream(stored);
    try {
      this.zstd = new ZstdOutputStreamNoFinalizer(new Unclosing(this.stored), level);
      zstd.setChecksum(true);
      // One thread means zstd's single-threaded mode; more run that many workers besides the
      // caller.
      zstd.setWorkers(threads > 1 ? threads : 0);
    } catch (IOException | RuntimeException e) {
      this.stored.abort();
      throw e;
    }
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    zstd.write(bytes, 0, bytes.length);
    keepTail(bytes, bytes.length);
    input += bytes.length;
  }

  @Override
  public long transferFrom(InputStream in) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      zstd.write(buffer, 0, n);
      keepTail(buffer, n);
      input += n;
      total += n;
    }
    return total;
  }

  private void keepTail(byte[] buffer, int n) {
    if (n >= tail.length) {
      System.arraycopy(buffer, n - tail.length, tail, 0, tail.length);
    } else {
      System.arraycopy(tail, n, tail, 0, tail.length - n);
      System.arraycopy(buffer, 0, tail, tail.length - n, n);
    }
  }

  @Override
  public void finish() throws IOException {
    // On a failure here the caller's abort() ends the writer thread.
    zstd.close();
    stored.close();
    finished = true;
  }

  @Override
  public void abort() {
    if (!finished) {
      finished = true;
      try {
        zstd.close();
      } catch (IOException e) {
        // The dump failed already; the partial file is removed by the caller.
      }
      stored.abort();
    }
  }

  @Override
  public byte[] tail(int n) {
    int length = (int) Math.min(Math.min(n, tail.length), input);
    return Arrays.copyOfRange(tail, tail.length - length, tail.length);
  }

  @Override
  public long inputBytes() {
    return input;
  }

  @Override
  public long busyNanos() {
    return 0;
  }
}
