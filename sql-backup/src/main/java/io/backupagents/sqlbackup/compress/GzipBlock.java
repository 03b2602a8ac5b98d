package io.backupagents.sqlbackup.compress;

import java.util.Arrays;

/**
 * One block of a parallel gzip stream: its input, the 32 KiB of input before it (the dictionary),
 * and its compressed output. Blocks are pooled and reused.
 */
final class GzipBlock {

  final byte[] input;
  final byte[] dictionary = new byte[ParallelGzipOutputStream.WINDOW];
  byte[] output;
  int length;
  int dictionaryLength;
  int outputLength;
  boolean last;

  GzipBlock(int size) {
    input = new byte[size];
    output = new byte[maxOutput(size)];
  }

  /**
   * Room for a block of {@code size} bytes however badly it compresses: deflate's stored blocks add
   * 5 bytes per 16 KiB, a sync flush or the final block a few more.
   */
  private static int maxOutput(int size) {
    return size + size / 1024 + 256;
  }

  /** Makes room for {@code more} output bytes after {@code outputLength}. */
  void ensureOutputRoom(int more) {
    if (output.length - outputLength < more) {
      output = Arrays.copyOf(output, Math.max(2 * output.length, outputLength + more));
    }
  }
}
