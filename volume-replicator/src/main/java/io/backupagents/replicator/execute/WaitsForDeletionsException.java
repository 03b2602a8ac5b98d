package io.backupagents.replicator.execute;

import java.io.IOException;

/**
 * An entry cannot take its place yet because something the source no longer has is there: a
 * non-empty directory, or a regular file where the source now has a directory or a symlink. It can
 * once the run's deletions, which the deletion guard weighs, have removed it.
 */
public final class WaitsForDeletionsException extends IOException {

  private static final long serialVersionUID = 1L;

  public WaitsForDeletionsException(String key, String what) {
    super(what + " is in the way of " + key);
  }
}
