package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.util.List;
import java.util.Optional;

/**
 * What a plain SQL dump says about itself: pg_dumpall starts with {@code -- PostgreSQL database
 * cluster dump} and ends with {@code ... cluster dump complete}; pg_dump the same without
 * "cluster". A dump without its last line was cut short, even when the gzip stream around it is
 * whole (the legacy {@code pg_dumpall | gzip} wrote such files when pg_dumpall died).
 */
public enum DumpKind {
  CLUSTER("-- PostgreSQL database cluster dump"),
  DATABASE("-- PostgreSQL database dump");

  /** How far into the file the header line may be. */
  private static final int HEAD_LINES = 20;

  private final String header;

  DumpKind(String header) {
    this.header = header;
  }

  /** The kind the first lines of a dump name, if any. */
  public static Optional<DumpKind> fromHead(String head) {
    List<String> lines =
        head.lines()
            .filter(l -> !DatabaseProperties.isBlockLine(l))
            .limit(HEAD_LINES)
            .map(String::strip)
            .toList();
    for (String line : lines) {
      for (DumpKind kind : values()) {
        if (line.equals(kind.header)) {
          return Optional.of(kind);
        }
      }
    }
    return Optional.empty();
  }

  /** The last line of a complete dump of this kind. */
  public String trailer() {
    return header + " complete";
  }

  /**
   * True when the last meaningful line of {@code tail} is this kind's trailer; comment dashes,
   * blank lines and the unrestrict meta-command that newer pg_dump versions write last do not
   * count.
   */
  public boolean isCompleteTail(String tail) {
    List<String> lines = tail.lines().map(String::strip).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.isEmpty() || line.equals("--") || line.startsWith("\\unrestrict ")) {
        continue;
      }
      return line.equals(trailer());
    }
    return false;
  }

  /** How logs and messages name it. */
  public String describe() {
    return this == CLUSTER ? "a pg_dumpall of a whole server" : "a pg_dump of one database";
  }
}
