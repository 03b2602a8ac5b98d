package io.backupagents.sqlbackup.load;

import java.nio.charset.StandardCharsets;

/** The last bytes of a dump as it streams past, where its "dump complete" line must be. */
final class DumpTail {

  private static final int SIZE = 8192;

  private final byte[] ring = new byte[SIZE];
  private long total;

  /** Notes {@code length} more bytes of the dump. */
  void add(byte[] buffer, int length) {
    int from = Math.max(0, length - SIZE);
    for (int i = from; i < length; i++) {
      ring[(int) ((total + i) % SIZE)] = buffer[i];
    }
    total += length;
  }

  /** How many bytes went past. */
  long total() {
    return total;
  }

  /** The last bytes as text. */
  String text() {
    int length = (int) Math.min(total, SIZE);
    byte[] ordered = new byte[length];
    long start = total - length;
    for (int i = 0; i < length; i++) {
      ordered[i] = ring[(int) ((start + i) % SIZE)];
    }
    return new String(ordered, StandardCharsets.UTF_8);
  }
}
