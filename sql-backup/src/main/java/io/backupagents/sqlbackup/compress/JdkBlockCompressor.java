package io.backupagents.sqlbackup.compress;

import java.util.zip.Deflater;

/** Compresses blocks with the JDK's {@link Deflater} (the zlib built into the Java runtime). */
final class JdkBlockCompressor implements BlockCompressor {

  private final Deflater deflater;

  JdkBlockCompressor(int level) {
    deflater = new Deflater(level, true);
  }

  @Override
  public void compress(GzipBlock block) {
    deflater.reset();
    if (block.dictionaryLength > 0) {
      deflater.setDictionary(block.dictionary, 0, block.dictionaryLength);
    }
    deflater.setInput(block.input, 0, block.length);
    if (block.last) {
      deflater.finish();
    }
    int flush = block.last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH;
    block.outputLength = 0;
    while (true) {
      block.ensureOutputRoom(1);
      int room = block.output.length - block.outputLength;
      int n = deflater.deflate(block.output, block.outputLength, room, flush);
      block.outputLength += n;
      // A sync flush is complete when it did not fill the space it was given.
      if (block.last ? deflater.finished() : n < room) {
        return;
      }
    }
  }

  @Override
  public void close() {
    deflater.end();
  }
}
