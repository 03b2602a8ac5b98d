package io.backupagents.sqlbackup.model;

import java.util.Locale;

/** A retention tier: one directory below the backup root, filled by its own CronJob. */
public enum Tier {
  HOURLY,
  DAILY,
  WEEKLY,
  MONTHLY;

  /** The directory (and S3 key segment) of this tier, e.g. {@code hourly}. */
  public String directoryName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Only the hourly tier dumps; the others promote from a lower tier. */
  public boolean dumps() {
    return this == HOURLY;
  }

  @Override
  public String toString() {
    return directoryName();
  }
}
