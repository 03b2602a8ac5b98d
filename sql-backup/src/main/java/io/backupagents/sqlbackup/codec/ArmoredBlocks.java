package io.backupagents.sqlbackup.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a setting holding several armored OpenPGP blocks ({@code cat a.asc b.asc}) into its
 * blocks: Bouncy Castle's armor decoder reads only the first one of a stream.
 */
final class ArmoredBlocks {

  private ArmoredBlocks() {}

  /** Each block that starts with {@code beginLine}, up to the next one. */
  static List<String> split(String armored, String beginLine) {
    List<String> blocks = new ArrayList<>();
    int at = armored.indexOf(beginLine);
    while (at >= 0) {
      int next = armored.indexOf(beginLine, at + beginLine.length());
      blocks.add(next < 0 ? armored.substring(at) : armored.substring(at, next));
      at = next;
    }
    return blocks;
  }
}
