package io.backupagents.replicator.execute;

import java.io.IOException;

/** The source entry vanished or changed while it was being copied. */
public final class SourceChangedException extends IOException {

  private static final long serialVersionUID = 1L;

  private final boolean uploaded;

  public SourceChangedException(String message) {
    this(message, false);
  }

  private SourceChangedException(String message, boolean uploaded) {
    super(message);
    this.uploaded = uploaded;
  }

  /** The change was found after an upload had published what was read. */
  public static SourceChangedException afterUpload(SourceChangedException change) {
    return new SourceChangedException(change.getMessage() + " (found after its upload)", true);
  }

  public boolean uploaded() {
    return uploaded;
  }
}
