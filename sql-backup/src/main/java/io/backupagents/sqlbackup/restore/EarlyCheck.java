package io.backupagents.sqlbackup.restore;

import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.DatabaseCreation;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.FoundBackup;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Proves a plain backup sound (its download, digest and first lines) and reads its database
 * properties while recover examines the target (connection, client tools, guard), instead of after:
 * the two take a few tenths of a second each, which a restore of a few seconds notices. Nothing
 * reaches the server before both are done. An archive's check needs pg_restore of the target's
 * major, so it runs when asked for.
 */
final class EarlyCheck implements AutoCloseable {

  private final FoundBackup backup;
  private final BackupFetcher fetcher;
  private final RunContext context;
  private final SqlBackupMetrics.Restore metrics;
  private final FutureTask<BackupIntegrity.Checked> task;
  private final Thread thread;
  private volatile Optional<DatabaseProperties> properties;

  private EarlyCheck(
      FoundBackup backup,
      BackupFetcher fetcher,
      RunContext context,
      SqlBackupMetrics.Restore metrics) {
    this.backup = backup;
    this.fetcher = fetcher;
    this.context = context;
    this.metrics = metrics;
    if (backup.name().format().plain()) {
      // A plain backup's check runs no client tool; its properties are read from its head (which
      // also readies the inflater) while the target answers.
      task =
          new FutureTask<>(
              () -> {
                BackupIntegrity.Checked checked = check(null);
                properties = DatabaseCreation.of(checked, context.processes(), null);
                return checked;
              });
      thread = Thread.ofVirtual().name("check").start(task);
    } else {
      task = null;
      thread = null;
    }
  }

  /** Starts checking {@code backup} if it is plain. */
  static EarlyCheck start(
      FoundBackup backup,
      BackupFetcher fetcher,
      RunContext context,
      SqlBackupMetrics.Restore metrics) {
    return new EarlyCheck(backup, fetcher, context, metrics);
  }

  /** The checked backup, waiting for the check started early or running it now. */
  BackupIntegrity.Checked get(ClientTools.Clients clients) throws InterruptedException {
    if (task == null) {
      return check(clients);
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // an AgentException with its exit code, most often
      }
      if (e.getCause() instanceof InterruptedException i) {
        throw i;
      }
      throw new IllegalStateException(e.getCause());
    } catch (CancellationException e) {
      throw new InterruptedException("the check of " + backup + " was cancelled");
    }
  }

  /** The database properties the checked backup carries (see {@link DatabaseCreation#of}). */
  Optional<DatabaseProperties> properties(
      BackupIntegrity.Checked checked, ClientTools.Clients clients) throws InterruptedException {
    Optional<DatabaseProperties> early = properties;
    return early != null ? early : DatabaseCreation.of(checked, context.processes(), clients);
  }

  private BackupIntegrity.Checked check(ClientTools.Clients clients) throws InterruptedException {
    return BackupIntegrity.prepare(
        backup, fetcher, context.processes(), clients, context.clock(), metrics);
  }

  /** Stops a check nobody waits for any more (the target was refused, for example). */
  @Override
  public void close() {
    if (task != null && !task.isDone()) {
      task.cancel(true);
      try {
        thread.join(); // its download, if any, must stop before the fetcher removes its directory
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
