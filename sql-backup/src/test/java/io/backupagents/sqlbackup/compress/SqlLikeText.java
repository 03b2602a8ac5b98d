package io.backupagents.sqlbackup.compress;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic text that compresses like a dump's COPY data: ids, words, dates, some noise. */
final class SqlLikeText {

  private static final String[] WORDS = {
    "customer", "order", "Zürich", "東京", "paid", "pending", "shipped", "invoice", "naïve",
    "crème", "warehouse", "return", "north", "south", "priority", "standard", "express", "note"
  };

  private SqlLikeText() {}

  static byte[] generate(int size, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 200);
    long id = 1;
    while (sb.length() < size) {
      sb.append(id++).append('\t');
      for (int w = 0; w < 6; w++) {
        sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      sb.append("2025-0").append(1 + random.nextInt(9)).append('-').append(10 + random.nextInt(18));
      sb.append('\t').append(Long.toHexString(random.nextLong())).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(bytes, size);
  }
}
