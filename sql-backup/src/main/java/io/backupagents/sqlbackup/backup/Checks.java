package io.backupagents.sqlbackup.backup;

import io.backupagents.sqlbackup.store.ChecksumFile;
import io.backupagents.sqlbackup.store.LocalBackupStore;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Compares a local backup with its recorded SHA-256. */
final class Checks {

  private Checks() {}

  /** {@code ok}, {@code mismatch}, or {@code missing} when no checksum file was recorded. */
  static String verify(LocalBackupStore store, StoredBackup b) throws IOException {
    Path dir = store.tierDirectory(b.tier());
    Path sum = dir.resolve(b.name().checksumFileName());
    if (!Files.isRegularFile(sum)) {
      return "missing";
    }
    Optional<String> expected = ChecksumFile.parse(Files.readAllBytes(sum));
    if (expected.isEmpty()) {
      return "mismatch";
    }
    return expected.get().equals(ChecksumFile.sha256(dir.resolve(b.name().fileName())))
        ? "ok"
        : "mismatch";
  }
}
