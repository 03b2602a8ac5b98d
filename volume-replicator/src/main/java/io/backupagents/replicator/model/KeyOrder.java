package io.backupagents.replicator.model;

import java.util.Comparator;

/**
 * The one order every listing is merged in: Unicode code points, which is the UTF-8 byte order S3
 * lists keys in. Java's {@code String.compareTo} compares UTF-16 units and disagrees for characters
 * above U+FFFF against U+E000..U+FFFF, so it would misplace such names.
 */
public final class KeyOrder {

  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  private KeyOrder() {}

  public static int compare(String a, String b) {
    return compare(a, b, 0);
  }

  /**
   * Compares {@code a} and {@code b} from index {@code from} on, for keys known to share their
   * first {@code from} characters (the entries of one directory share its key as a prefix).
   */
  public static int compare(String a, String b, int from) {
    int n = Math.min(a.length(), b.length());
    for (int i = from; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fix(x) - fix(y);
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF so that UTF-16 units compare in code point order. */
  private static int fix(char c) {
    if (c >= 0xD800) {
      return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
    return c;
  }
}
