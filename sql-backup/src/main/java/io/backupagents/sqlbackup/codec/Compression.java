package io.backupagents.sqlbackup.codec;

/** How a plain dump is compressed: gzip (the legacy format) or zstd. */
public enum Compression {
  /** Parallel gzip members: {@code .sql.gz}, read by gunzip, zcat and every legacy restore. */
  GZIP(1, 9, 6),
  /**
   * zstd frames compressed on several threads: {@code .sql.zst}, read by {@code zstd -dc}.
   *
   * <p>Level 2 by default rather than zstd's own 3. Measured on 2 cores, the benchmark's 1.56 GiB
   * dump alternating with {@code pg_dumpall > file} (3 rounds): level 3 took 1.01-1.10x its wall
   * time, level 2 0.89-0.98x, with 18% less CPU, and its output was smaller still (186.6 MB against
   * 207.3 MB; gzip -6 233.5 MB). Against gzip -6, level 2 was also smaller on the texts a plain
   * dump holds: manual pages 16.0 MB against 19.3 MB, changelogs 0.92 MB against 1.48 MB, a binary
   * as bytea hex 6.48 MB against 6.82 MB. Only raw binaries, which a plain dump never holds, came
   * out larger (by 4%).
   */
  ZSTD(1, 19, 2);

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

  /** gzip's own default (6); 2 for zstd (see {@link #ZSTD}). */
  public int defaultLevel() {
    return defaultLevel;
  }
}
