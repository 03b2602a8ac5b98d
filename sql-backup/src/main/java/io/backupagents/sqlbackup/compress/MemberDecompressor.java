package io.backupagents.sqlbackup.compress;

/**
 * Decompresses one whole gzip member at a time from a buffer (libdeflate's model: no streaming
 * state, the member's CRC and length checked).
 */
interface MemberDecompressor extends AutoCloseable {

  /** The member did not fit the output buffer. */
  long TOO_LARGE = -1;

  /** The input is corrupt, or holds less than a whole member. */
  long BAD_DATA = -2;

  /**
   * Decompresses the member at {@code in[off, off + len)} into {@code out}; returns the bytes
   * written, or {@link #TOO_LARGE} or {@link #BAD_DATA}. After a success, {@link #consumed} is the
   * member's compressed length.
   */
  long decompress(byte[] in, int off, int len, byte[] out);

  /** The compressed length of the member last decompressed. */
  int consumed();

  @Override
  void close();
}
