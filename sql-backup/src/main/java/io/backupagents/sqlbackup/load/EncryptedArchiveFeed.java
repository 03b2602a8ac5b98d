package io.backupagents.sqlbackup.load;

import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Feeds pg_restore the decrypted content of an encrypted custom archive on its standard input, so
 * that no decrypted copy is ever written to disk. The whole message is always read, so its
 * integrity check runs even when pg_restore stops reading early (as {@code --list} does).
 */
final class EncryptedArchiveFeed {

  private EncryptedArchiveFeed() {}

  /** Whether {@code file} must be fed this way. */
  static boolean needed(Path file) {
    return BackupDecoding.encrypted(file.getFileName().toString());
  }

  /**
   * @param readerMayStop true when pg_restore may exit before the end (--list): writes then stop
   *     failing, but the rest of the message is still read and checked
   */
  static ProcessSpec.StdinWriter of(Path file, boolean readerMayStop) {
    return stdin -> {
      try (InputStream archive =
          BackupDecoding.archive(file.getFileName().toString(), Files.newInputStream(file))) {
        byte[] buffer = new byte[1 << 16];
        boolean open = true;
        int n;
        while ((n = archive.read(buffer)) >= 0) {
          if (open) {
            open = write(stdin, buffer, n, readerMayStop);
          }
        }
        if (open) {
          stdin.flush();
        }
      }
    };
  }

  private static boolean write(OutputStream stdin, byte[] buffer, int n, boolean readerMayStop)
      throws IOException {
    try {
      stdin.write(buffer, 0, n);
      return true;
    } catch (IOException e) {
      if (readerMayStop) {
        return false;
      }
      throw e;
    }
  }
}
