package io.backupagents.sqlbackup.load;

import java.io.IOException;

/** Reading a backup found it corrupt or incomplete while it streamed into a restore. */
final class UnsoundBackupException extends IOException {

  UnsoundBackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
