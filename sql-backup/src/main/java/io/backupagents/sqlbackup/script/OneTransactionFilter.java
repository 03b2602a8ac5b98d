package io.backupagents.sqlbackup.script;

/**
 * The filter of a single-database plain dump restored by psql. It leaves out pg_dump's cleaning
 * statements that fail without their object (see {@link CleaningStatements}) and, when psql wraps
 * the restore in one transaction ({@code --single-transaction}), the {@code BEGIN;} and {@code
 * COMMIT;} pg_dump writes around its large objects: that {@code COMMIT} would end psql's
 * transaction half-way, so a later failure would leave a partial restore behind. Nothing else
 * changes.
 */
public final class OneTransactionFilter extends SqlStreamFilter {

  private final boolean oneTransaction;

  public OneTransactionFilter(boolean oneTransaction) {
    this.oneTransaction = oneTransaction;
  }

  /** True for the transaction statements pg_dump writes around large objects. */
  static boolean isTransactionControl(String line) {
    return line.equals("BEGIN;") || line.equals("COMMIT;");
  }

  @Override
  protected Action onStatement(String line) {
    return oneTransaction && isTransactionControl(line) ? Action.SKIP : Action.PASS;
  }

  @Override
  protected Action onMetaCommand(String line) {
    return Action.PASS;
  }
}
