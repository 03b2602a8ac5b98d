package io.backupagents.sqlbackup.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes writes through and only flushes on close: keeps a compressor or Bouncy Castle from closing
 * the stream underneath (the file, or its encryption), which the dump step finishes, fsyncs and
 * closes itself.
 */
final class Unclosing extends FilterOutputStream {

  Unclosing(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
