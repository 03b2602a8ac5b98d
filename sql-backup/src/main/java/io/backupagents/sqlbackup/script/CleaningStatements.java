package io.backupagents.sqlbackup.script;

import java.util.regex.Pattern;

/**
 * Finds, in pg_dump's cleaning block, the statements that fail when the object they belong to does
 * not exist. {@code pg_dump --clean --if-exists} writes the block at the head of a plain dump,
 * after its {@code SET} lines and before the first object's comment header: {@code DROP ... IF
 * EXISTS}, {@code ALTER TABLE IF EXISTS ... DROP ...} and {@code lo_unlink} statements, with no
 * comment between them.
 *
 * <p>One kind fails in a database that lacks the object whatever {@code IF EXISTS} says: {@code
 * ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c} (a NOT VALID domain constraint; PostgreSQL has no
 * {@code ALTER DOMAIN IF EXISTS}), so a restore into an empty database stops there. Leaving such a
 * statement out changes nothing where the object exists: the {@code DROP} of the object itself
 * follows in the same block and takes its constraints with it.
 */
final class CleaningStatements {

  private static final Pattern CLEANING =
      Pattern.compile(
          "(?:DROP [A-Z][A-Z ]* |ALTER [A-Z][A-Z ]* .* DROP |SELECT pg_catalog\\.lo_unlink\\().*");
  private static final Pattern GUARDED =
      Pattern.compile("(?:DROP |ALTER (?:[A-Z]+ )?[A-Z]+ IF EXISTS |SELECT ).*");
  private static final Pattern HEADER =
      Pattern.compile("(?:SET |SELECT pg_catalog\\.set_config\\().*");

  private boolean headerSeen;
  private boolean ended;
  private int leftOut;

  /**
   * A comment line between statements. The block has none: the first comment after the dump's
   * {@code SET} lines (pg_dump's first object header, or a dumpall's section titles) ends it.
   */
  void comment(String line) {
    if (headerSeen) {
      ended = true;
    }
  }

  /**
   * Whether {@code line}, the first line of a statement, is a cleaning statement that would fail
   * without its object; counted when it is. Other statements of the block pass: pg_dump also writes
   * {@code CREATE OR REPLACE VIEW} there, to cut a view's dependency loop before the drops.
   */
  boolean leaveOut(String line) {
    if (ended || line.isBlank()) {
      return false;
    }
    if (HEADER.matcher(line).matches()) {
      headerSeen = true;
      return false;
    }
    if (headerSeen && CLEANING.matcher(line).matches() && !GUARDED.matcher(line).matches()) {
      leftOut++;
      return true;
    }
    return false;
  }

  /** How many statements were left out. */
  int leftOut() {
    return leftOut;
  }
}
