package io.backupagents.sqlbackup.compress;

/**
 * Compresses the blocks of a parallel gzip stream, in one of two ways. Either each block becomes
 * raw deflate data that continues the stream: compressed with the 32 KiB before it as its
 * dictionary and ended with a sync flush (byte-aligned, the stream left open), or with the final
 * deflate block when it is the last; the stream adds one gzip header and trailer around all of
 * them. Or ({@link #wholeMembers()}) each block becomes a complete gzip member, header, CRC and
 * size included, and the file is the members one after the other (RFC 1952 §2.2). One compressor
 * serves one thread at a time.
 */
interface BlockCompressor extends AutoCloseable {

  /** True when each block's output is a complete gzip member. */
  default boolean wholeMembers() {
    return false;
  }

  /** Compresses {@code block.input[0, length)} into {@code block.output[0, outputLength)}. */
  void compress(GzipBlock block);

  /** Frees what the compressor holds (native memory); it is not used afterwards. */
  @Override
  void close();
}
