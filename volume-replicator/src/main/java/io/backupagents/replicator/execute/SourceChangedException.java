package io.backupagents.replicator.execute;

import java.io.IOException;

/** The source entry vanished or changed while it was being copied. */
public final class SourceChangedException extends IOException {

  private static final long serialVersionUID = 1L;

  public SourceChangedException(String message) {
    super(message);
  }
}
