package io.backupagents.sqlbackup.list;

import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.store.LocalBackupStore;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Compares a local backup with its recorded SHA-256. */
final class Checks {

  private Checks() {}

  /** {@code ok}, {@code mismatch}, or {@code missing} when no checksum record was written. */
  static String verify(LocalBackupStore store, StoredBackup b) throws IOException {
    Path dir = store.tierDirectory(b.tier());
    Optional<Path> record = ChecksumRecord.find(dir, b.name());
    if (record.isEmpty()) {
      return "missing";
    }
    Optional<String> expected =
        ChecksumRecord.digest(Files.readString(record.get(), StandardCharsets.UTF_8));
    if (expected.isEmpty()) {
      return "mismatch";
    }
    return expected.get().equals(ChecksumRecord.sha256(dir.resolve(b.name().fileName())))
        ? "ok"
        : "mismatch";
  }
}
