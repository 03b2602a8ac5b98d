package io.backupagents.sqlbackup.restore;

/**
 * Keeps a plain pg_dump in the single transaction psql wraps it in ({@code --single-transaction}):
 * pg_dump writes its large objects between {@code BEGIN;} and {@code COMMIT;} of their own, and
 * that {@code COMMIT} would end psql's transaction half-way, so a later failure would leave a
 * partial restore behind. Those two statements are left out; nothing else changes.
 */
final class OneTransactionFilter extends SqlStreamFilter {

  /** True for the transaction statements pg_dump writes around large objects. */
  static boolean isTransactionControl(String line) {
    return line.equals("BEGIN;") || line.equals("COMMIT;");
  }

  @Override
  protected Action onStatement(String line) {
    return isTransactionControl(line) ? Action.SKIP : Action.PASS;
  }

  @Override
  protected Action onMetaCommand(String line) {
    return Action.PASS;
  }
}
