package io.backupagents.sqlbackup.dump;

import io.backupagents.common.logging.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read from a tool's output so that long dumps log their progress. */
final class ProgressInputStream extends FilterInputStream {

  private final Progress progress;

  ProgressInputStream(InputStream in, Progress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      progress.add(n);
    }
    return n;
  }
}
