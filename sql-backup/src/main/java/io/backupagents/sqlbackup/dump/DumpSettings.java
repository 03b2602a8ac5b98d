package io.backupagents.sqlbackup.dump;

import io.backupagents.sqlbackup.codec.BackupEncoding;
import io.backupagents.sqlbackup.codec.Compression;
import io.backupagents.sqlbackup.codec.OpenPgpEncryption;
import io.backupagents.sqlbackup.model.BackupName;
import java.time.Duration;
import java.util.Optional;

/**
 * How dumps are made: format, parallel pg_dump jobs, time limit, compression (gzip or zstd), its
 * level and threads (0: one per core), and the recipients backups are encrypted to.
 */
public record DumpSettings(
    DumpFormat format,
    int jobs,
    Optional<Duration> timeout,
    int compressionLevel,
    int compressionThreads,
    Compression compression,
    Optional<OpenPgpEncryption> encryption) {

  public DumpSettings {
    if (jobs < 1
        || compressionLevel < compression.minLevel()
        || compressionLevel > compression.maxLevel()
        || compressionThreads < 0) {
      throw new IllegalArgumentException("invalid dump settings");
    }
  }

  /** gzip and no encryption, as before either existed. */
  public DumpSettings(
      DumpFormat format,
      int jobs,
      Optional<Duration> timeout,
      int compressionLevel,
      int compressionThreads) {
    this(
        format,
        jobs,
        timeout,
        compressionLevel,
        compressionThreads,
        Compression.GZIP,
        Optional.empty());
  }

  /** The encoding of the backup files. */
  public BackupEncoding encoding() {
    return new BackupEncoding(compression, compressionLevel, effectiveThreads(), encryption);
  }

  /** The name of the backup a dump labelled {@code label} started at {@code start} is stored as. */
  public BackupName backupName(java.time.Instant start, String label) {
    BackupName.Format stored =
        format == DumpFormat.PLAIN && compression == Compression.ZSTD
            ? BackupName.Format.SQL_ZST
            : format.stored();
    return new BackupName(start, label, stored, encryption.isPresent());
  }

  /** The threads to compress with: the setting, or every available core. */
  public int effectiveThreads() {
    return compressionThreads > 0
        ? compressionThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
