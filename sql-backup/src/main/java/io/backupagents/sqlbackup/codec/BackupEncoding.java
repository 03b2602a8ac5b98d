package io.backupagents.sqlbackup.codec;

import io.backupagents.sqlbackup.compress.BlockCompressors;
import io.backupagents.sqlbackup.model.BackupName;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * How a backup is written: the compression of plain dumps and its level and threads, and the
 * recipients every backup is encrypted to, if any. The dump step asks it for one stream per backup;
 * nothing here writes plaintext anywhere but into that stream.
 */
public record BackupEncoding(
    Compression compression, int level, int threads, Optional<OpenPgpEncryption> encryption) {

  /** What an encrypted backup's name ends with, after the name of what it holds. */
  public static final String ENCRYPTED_SUFFIX = BackupName.ENCRYPTED_SUFFIX;

  public BackupEncoding {
    if (level < compression.minLevel() || level > compression.maxLevel() || threads < 1) {
      throw new IllegalArgumentException("invalid compression settings");
    }
  }

  /** The default: gzip -6, no encryption. */
  public static BackupEncoding gzip(int level, int threads) {
    return new BackupEncoding(Compression.GZIP, level, threads, Optional.empty());
  }

  public boolean encrypted() {
    return encryption.isPresent();
  }

  /** The encoder of a plain dump writing into {@code file}, which stays open. */
  public PlainEncoder plain(OutputStream file, String innerName) throws IOException {
    OutputStream stored = stored(file, innerName);
    return switch (compression) {
      case GZIP -> new GzipEncoder(stored, level, threads);
      case ZSTD -> new ZstdEncoder(stored, level, threads);
    };
  }

  /**
   * Where an archive (compressed by pg_dump itself) is written: the encryption when there are
   * recipients, else the file. Closing it ends the encrypted message; {@code file} stays open.
   */
  public OutputStream stored(OutputStream file, String innerName) throws IOException {
    if (encryption.isPresent()) {
      return encryption.get().encrypting(file, innerName);
    }
    return new FilterOutputStream(file) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  /**
   * For the start-up line, e.g. "zstd -2 on 2 threads, encrypted (OpenPGP)". Only gzip looks up its
   * engine: that loads libdeflate (a tenth of a second in a fresh JVM), which zstd never uses. The
   * recipients are not waited for: their check logs each key it accepts.
   */
  public String describe() {
    String codec =
        compression == Compression.GZIP
            ? "gzip -%d on %d threads with %s"
                .formatted(level, threads, BlockCompressors.best().description())
            : "zstd -%d on %d threads".formatted(level, threads);
    return codec + (encryption.isPresent() ? ", encrypted (OpenPGP)" : ", not encrypted");
  }
}
