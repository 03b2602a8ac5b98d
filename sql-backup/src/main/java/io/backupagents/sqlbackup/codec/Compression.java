package io.backupagents.sqlbackup.codec;

/** How a plain dump is compressed: gzip (the legacy format) or zstd. */
public enum Compression {
  /** Parallel gzip members: {@code .sql.gz}, read by gunzip, zcat and every legacy restore. */
  GZIP(1, 9, 6),
  /** zstd frames compressed on several threads: {@code .sql.zst}, read by {@code zstd -dc}. */
  ZSTD(1, 19, 3);

  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;

  Compression(int minLevel, int maxLevel, int defaultLevel) {
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  public int minLevel() {
    return minLevel;
  }

  public int maxLevel() {
    return maxLevel;
  }

  /** gzip's own default (6) and zstd's (3). */
  public int defaultLevel() {
    return defaultLevel;
  }
}
