package io.backupagents.sqlbackup.codec;

import io.backupagents.sqlbackup.compress.ParallelGzipOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The parallel gzip of plain dumps, writing into the file or into its encryption. */
final class GzipEncoder implements PlainEncoder {

  private final ParallelGzipOutputStream gz;
  private final OutputStream stored;

  GzipEncoder(OutputStream stored, int level, int threads) throws IOException {
    this.stored = stored;
    this.gz = new ParallelGzipOutputStream(stored, level, threads);
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    gz.write(bytes, 0, bytes.length);
  }

  @Override
  public long transferFrom(InputStream in) throws IOException {
    return gz.transferFrom(in);
  }

  @Override
  public void finish() throws IOException {
    gz.finish();
    stored.close();
  }

  @Override
  public void abort() {
    gz.abort();
  }

  @Override
  public byte[] tail(int n) {
    return gz.tail(n);
  }

  @Override
  public long inputBytes() {
    return gz.inputBytes();
  }

  @Override
  public long busyNanos() {
    return gz.busyNanos();
  }
}
