package io.backupagents.sqlbackup.dump;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes a custom archive through and keeps its first bytes: an archive written encrypted cannot be
 * read back by pg_restore in the backup run (which holds no private key), so at least its header is
 * checked on the way in; recover and verify read it end to end.
 */
final class ArchiveHead extends FilterOutputStream {

  private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

  private final byte[] head = new byte[MAGIC.length];
  private int length;

  ArchiveHead(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int take = Math.min(len, head.length - length);
    System.arraycopy(b, off, head, length, take);
    length += take;
    out.write(b, off, len);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** Fails unless what went through starts like a pg_dump custom archive. */
  void require(String what) {
    if (length < MAGIC.length || !Arrays.equals(head, MAGIC)) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          what + " wrote no pg_dump custom archive (it does not start with PGDMP)");
    }
  }
}
