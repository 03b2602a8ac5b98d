package io.backupagents.sqlbackup.codec;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.compress.GzipInflaters;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Reads what a backup file stores: decrypts {@code ….gpg} backups with the run's decryption key and
 * decompresses plain dumps ({@code .sql.gz}, {@code .sql.zst}). The restore read path calls it
 * once, where it opens a backup; everything it throws for a bad backup is a {@link CodecException}.
 *
 * <p>The key is the run's: recover and verify install it for their run ({@link #using}), since it
 * is needed wherever the deep restore path opens a backup and is the same for all of them.
 */
public final class BackupDecoding {

  private static final int BUFFER = 1 << 16;

  private static volatile Optional<DecryptionKey> runKey = Optional.empty();

  private BackupDecoding() {}

  /** The run's key, installed until closed. */
  public interface Installed extends AutoCloseable {
    @Override
    void close();
  }

  /** Makes {@code key} the run's decryption key until the returned handle is closed. */
  public static Installed using(Optional<DecryptionKey> key) {
    runKey = key;
    return () -> runKey = Optional.empty();
  }

  /** Whether the file name says the backup is encrypted. */
  public static boolean encrypted(String fileName) {
    return fileName.endsWith(BackupEncoding.ENCRYPTED_SUFFIX);
  }

  /** The SQL of a plain backup, from its stored bytes; closing it closes {@code stored}. */
  public static InputStream plainSql(String fileName, InputStream stored) throws IOException {
    String inner = innerName(fileName);
    if (!encrypted(fileName) && inner.endsWith(".sql.gz")) {
      // The legacy form, read as before (its errors are the callers' gzip errors).
      return GzipInflaters.open(stored);
    }
    InputStream source = encrypted(fileName) ? decrypted(stored) : stored;
    try {
      InputStream decompressed =
          inner.endsWith(".sql.zst")
              ? new BufferedInputStream(new ZstdInputStreamNoFinalizer(source), BUFFER)
              : GzipInflaters.open(new TrueAvailable(source));
      return new Decoded(decompressed, source, inner, encrypted(fileName));
    } catch (ZipException | EOFException | ZstdIOException e) {
      try (source) {
        if (encrypted(fileName)) {
          source.transferTo(OutputStream.nullOutputStream());
        }
      }
      throw truncated(inner, e);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /** The content of an archive backup ({@code .dump}): decrypted when the name says so. */
  public static InputStream archive(String fileName, InputStream stored) throws IOException {
    return encrypted(fileName) ? decrypted(stored) : stored;
  }

  private static InputStream decrypted(InputStream stored) throws IOException {
    try {
      return OpenPgpDecryption.open(stored, runKey);
    } catch (IOException | RuntimeException e) {
      stored.close();
      throw e;
    }
  }

  /** The backup's name without the encryption suffix. */
  public static String innerName(String fileName) {
    return encrypted(fileName)
        ? fileName.substring(0, fileName.length() - BackupEncoding.ENCRYPTED_SUFFIX.length())
        : fileName;
  }

  /** The compression of a plain backup so named, for messages: "zstd" or "gzip". */
  public static String codecName(String fileName) {
    return innerName(fileName).endsWith(".sql.zst") ? "zstd" : "gzip";
  }

  private static CodecException truncated(String inner, IOException e) {
    return new CodecException(
        ExitCode.VERIFY_FAILED,
        "it is not a complete "
            + codecName(inner)
            + " file ("
            + e.getMessage()
            + "): it is truncated or corrupt",
        e);
  }

  /**
   * Decompressed SQL; at its end the rest of the source is read, so that an encrypted backup's
   * integrity check runs before the reader sees the end.
   */
  private static final class Decoded extends FilterInputStream {
    private final InputStream source;
    private final String inner;
    private final boolean encrypted;

    Decoded(InputStream decompressed, InputStream source, String inner, boolean encrypted) {
      super(decompressed);
      this.source = source;
      this.inner = inner;
      this.encrypted = encrypted;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (CodecException e) {
        throw e;
      } catch (IOException e) {
        if (encrypted) {
          // In an encrypted backup, damage shows first as bad compressed data; the message's
          // integrity check, run by reading it to its end, names the real cause.
          source.transferTo(OutputStream.nullOutputStream());
        }
        if (e instanceof ZipException
            || e instanceof EOFException
            || e instanceof ZstdIOException) {
          throw truncated(inner, e);
        }
        throw e;
      }
      if (n < 0) {
        source.transferTo(OutputStream.nullOutputStream());
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] skipped = new byte[(int) Math.min(Math.max(n, 0), 8192)];
      return Math.max(0, read(skipped, 0, skipped.length));
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        source.close();
      }
    }
  }

  /**
   * Answers {@code available()} truthfully at the end of a gzip member: GZIPInputStream only reads
   * the next member when something is available, and a decrypting stream would say 0 there.
   */
  private static final class TrueAvailable extends PushbackInputStream {
    TrueAvailable(InputStream in) {
      super(in, 1);
    }

    @Override
    public int available() throws IOException {
      int n = super.available();
      if (n > 0) {
        return n;
      }
      int next = read();
      if (next < 0) {
        return 0;
      }
      unread(next);
      return 1;
    }
  }
}
