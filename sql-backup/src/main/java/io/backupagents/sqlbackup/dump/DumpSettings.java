package io.backupagents.sqlbackup.dump;

import java.time.Duration;
import java.util.Optional;

/**
 * How dumps are made: format, parallel pg_dump jobs, time limit, gzip level and compression threads
 * (0: one per core).
 */
public record DumpSettings(
    DumpFormat format,
    int jobs,
    Optional<Duration> timeout,
    int compressionLevel,
    int compressionThreads) {

  public DumpSettings {
    if (jobs < 1 || compressionLevel < 1 || compressionLevel > 9 || compressionThreads < 0) {
      throw new IllegalArgumentException("invalid dump settings");
    }
  }

  /** The threads to compress with: the setting, or every available core. */
  public int effectiveThreads() {
    return compressionThreads > 0
        ? compressionThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
