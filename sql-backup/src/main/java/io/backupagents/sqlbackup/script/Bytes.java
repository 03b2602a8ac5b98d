package io.backupagents.sqlbackup.script;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finding a byte in a buffer eight bytes at a time, where the SQL of a dump is searched. */
final class Bytes {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Bytes() {}

  /**
   * The index of the first {@code value} in {@code bytes[from, to)}, or -1. Each word is XORed with
   * the value repeated, so a matching byte becomes zero; {@code (v - ONES) & ~v & HIGHS} marks zero
   * bytes, and its lowest mark is always a true one (a false mark only ever follows a true zero
   * byte), so the lowest set bit is the first match.
   */
  static int indexOf(byte[] bytes, int from, int to, byte value) {
    long pattern = (value & 0xffL) * ONES;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long v = (long) LONGS.get(bytes, i) ^ pattern;
      long zeros = (v - ONES) & ~v & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
