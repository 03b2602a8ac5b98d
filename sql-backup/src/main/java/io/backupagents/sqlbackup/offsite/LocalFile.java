package io.backupagents.sqlbackup.offsite;

import java.time.Instant;

/**
 * A file below the backup root as the mirror sees it.
 *
 * @param relativePath the path below the root with '/' separators, e.g. {@code hourly/backup-…}
 */
public record LocalFile(String relativePath, long size, Instant modified) {}
