package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The first lines of a plain dump, enough to tell its {@link DumpKind}, gathered from the bytes as
 * they are read: the lines of the database properties block a single-database backup starts with
 * are passed over however long they are (a database comment of 100 KiB makes a long block), and at
 * most {@value #LIMIT} bytes of the rest are kept.
 */
public final class DumpHead {

  static final int LIMIT = 1 << 16;
  private static final byte[] BLOCK_LINE =
      DatabaseProperties.PREFIX.getBytes(StandardCharsets.US_ASCII);

  private final byte[] kept = new byte[LIMIT];
  private int length;
  private final byte[] lineStart = new byte[BLOCK_LINE.length];
  private int lineStartLength;
  private boolean deciding = true;
  private boolean passingOver;

  /** True once enough is kept: later bytes are not looked at. */
  public boolean full() {
    return length == LIMIT;
  }

  /** Takes the next {@code n} bytes of the dump. */
  public void add(byte[] b, int off, int n) {
    for (int i = off; i < off + n && !full(); i++) {
      byte c = b[i];
      if (passingOver) {
        passingOver = c != '\n';
        deciding = !passingOver;
      } else if (deciding) {
        lineStart[lineStartLength++] = c;
        if (c == '\n' || lineStartLength == BLOCK_LINE.length) {
          passingOver = c != '\n' && Arrays.equals(lineStart, BLOCK_LINE);
          if (!passingOver) {
            keep(lineStart, lineStartLength);
          }
          deciding = c == '\n';
          lineStartLength = 0;
        }
      } else {
        kept[length++] = c;
        deciding = c == '\n';
      }
    }
  }

  private void keep(byte[] bytes, int n) {
    int room = Math.min(n, LIMIT - length);
    System.arraycopy(bytes, 0, kept, length, room);
    length += room;
  }

  /** The kind the lines seen so far name, if any. */
  public Optional<DumpKind> kind() {
    String text = new String(kept, 0, length, StandardCharsets.UTF_8);
    if (deciding && lineStartLength > 0) {
      text += new String(lineStart, 0, lineStartLength, StandardCharsets.UTF_8);
    }
    return DumpKind.fromHead(text);
  }
}
