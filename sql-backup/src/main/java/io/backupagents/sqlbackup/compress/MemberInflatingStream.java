package io.backupagents.sqlbackup.compress;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Inflates a gzip file member by member with a {@link MemberDecompressor}, from a window of the
 * compressed bytes. A member that does not fit (larger than {@link #OUTPUT} when inflated, or than
 * the window when compressed) hands the rest of the file to the JDK's {@link GZIPInputStream}, so
 * any gzip file reads correctly; bytes after the last member that are not a gzip member end the
 * content, as they do for {@link GZIPInputStream}.
 */
final class MemberInflatingStream extends InputStream {

  /** Room for one inflated member: sql-backup's are 1 MiB of SQL. */
  static final int OUTPUT = 1 << 20;

  private static final int WINDOW = 4 << 20;

  private final InputStream raw;
  private final MemberDecompressor decompressor;
  private final byte[] window = new byte[WINDOW];
  private final byte[] output = new byte[OUTPUT];
  private int start;
  private int end;
  private boolean rawEnded;
  private int outPos;
  private int outLimit;
  private boolean membersRead;
  private InputStream fallback;
  private boolean ended;

  MemberInflatingStream(InputStream raw, MemberDecompressor decompressor) {
    this.raw = raw;
    this.decompressor = decompressor;
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
    while (outPos == outLimit) {
      if (fallback != null) {
        return fallback.read(b, off, len);
      }
      if (ended || !nextMember()) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, outLimit - outPos);
    System.arraycopy(output, outPos, b, off, n);
    outPos += n;
    return n;
  }

  /** Inflates the next member into the output buffer; false at the end of the content. */
  private boolean nextMember() throws IOException {
    fillWindow();
    if (start == end) {
      if (!membersRead) {
        throw new java.io.EOFException("no gzip data");
      }
      return false;
    }
    if (!startsMember()) {
      if (membersRead) {
        return false; // trailing bytes that are not a gzip member end the content
      }
      throw new ZipException("Not in GZIP format");
    }
    long n = decompressor.decompress(window, start, end - start, output);
    if (n >= 0) {
      start += decompressor.consumed();
      membersRead = true;
      outPos = 0;
      outLimit = (int) n;
      return true;
    }
    // Too large for the buffers, or corrupt: the JDK's zlib reads on from here and says which.
    fallback =
        new GZIPInputStream(
            new SequenceInputStream(
                new ByteArrayInputStream(window, start, end - start), rawRest()),
            1 << 16);
    start = end;
    return true;
  }

  private boolean startsMember() {
    return end - start >= 2 && window[start] == 0x1f && window[start + 1] == (byte) 0x8b;
  }

  /** Keeps at least half a window of compressed bytes in view, unless the file ends first. */
  private void fillWindow() throws IOException {
    if (rawEnded || end - start >= WINDOW / 2) {
      return;
    }
    System.arraycopy(window, start, window, 0, end - start);
    end -= start;
    start = 0;
    while (end < WINDOW) {
      int n = raw.read(window, end, WINDOW - end);
      if (n < 0) {
        rawEnded = true;
        return;
      }
      end += n;
    }
  }

  /**
   * The rest of the file, which SequenceInputStream must not close when it ends: the caller still
   * reads it (a digest of the whole file) and closes it itself.
   */
  private InputStream rawRest() {
    if (rawEnded) {
      return InputStream.nullInputStream();
    }
    return new FilterInputStream(raw) {
      @Override
      public void close() {}
    };
  }

  @Override
  public void close() throws IOException {
    try {
      decompressor.close();
    } finally {
      raw.close();
    }
  }
}
