package io.backupagents.sqlbackup.load;

import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import io.backupagents.sqlbackup.codec.CodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Feeds pg_restore the decrypted content of an encrypted custom archive on its standard input, so
 * that no decrypted copy is ever written to disk. The whole message is always read, so its
 * integrity check runs even when pg_restore stops reading early (as {@code --list} does).
 *
 * <p>One feed serves one pg_restore: it keeps the backup's own failure (a {@link CodecException}),
 * which then explains pg_restore's failure better than pg_restore can ("unexpected end of file").
 */
final class EncryptedArchiveFeed implements ProcessSpec.StdinWriter {

  private final Path file;
  private volatile CodecException failure;

  private EncryptedArchiveFeed(Path file) {
    this.file = file;
  }

  /** Whether {@code file} must be fed this way. */
  static boolean needed(Path file) {
    return BackupDecoding.encrypted(file.getFileName().toString());
  }

  /** A feed of {@code file}'s decrypted content, for one pg_restore. */
  static EncryptedArchiveFeed of(Path file) {
    return new EncryptedArchiveFeed(file);
  }

  /** Why the backup could not be read, once the feed has failed on it. */
  Optional<CodecException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public void write(OutputStream stdin) throws IOException {
    try (InputStream archive =
        BackupDecoding.archive(file.getFileName().toString(), Files.newInputStream(file))) {
      byte[] buffer = new byte[1 << 16];
      boolean open = true;
      int n;
      while ((n = archive.read(buffer)) >= 0) {
        open = open && deliver(stdin, buffer, n);
      }
      if (open) {
        closeQuietly(stdin);
      }
    } catch (CodecException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Writes to pg_restore; false when it has stopped reading. pg_restore stops as soon as it has
   * what it needs (the table of contents for --list, the last data block for a restore), which may
   * be before the message's end: that is no failure, and its exit status tells whether it was.
   */
  private static boolean deliver(OutputStream stdin, byte[] buffer, int n) {
    try {
      stdin.write(buffer, 0, n);
      return true;
    } catch (IOException e) {
      closeQuietly(stdin);
      return false;
    }
  }

  /**
   * Closes pg_restore's input here, where a failure is expected: the JDK buffers what is written to
   * a child's stdin, and once the child has exited, flushing that buffer fails ("Stream closed",
   * "Broken pipe"). A closed stream stays closed, so the process runner's own close does nothing.
   */
  private static void closeQuietly(OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      // pg_restore exited before reading the rest: its exit status is the verdict.
    }
  }
}
