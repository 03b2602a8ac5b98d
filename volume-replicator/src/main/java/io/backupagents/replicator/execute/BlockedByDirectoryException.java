package io.backupagents.replicator.execute;

import java.io.IOException;

/**
 * A file or symlink cannot take its place because a non-empty directory is there; it can once the
 * run's deletions have removed that directory.
 */
public final class BlockedByDirectoryException extends IOException {

  private static final long serialVersionUID = 1L;

  public BlockedByDirectoryException(String key) {
    super("a non-empty directory is in the way of " + key);
  }
}
