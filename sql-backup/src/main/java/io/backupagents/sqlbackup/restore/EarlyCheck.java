package io.backupagents.sqlbackup.restore;

import io.backupagents.common.launch.Background;
import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.DatabaseCreation;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.FoundBackup;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.util.Optional;

/**
 * Proves a plain backup sound (its download, digest and first lines) and reads its database
 * properties while recover examines the target (connection, client tools, guard), instead of after:
 * each takes a tenth of a second or more on a JVM that just started, which a restore of a few
 * seconds notices. Nothing reaches the server before the check is done, and a restore that creates
 * its database waits for the properties too. An archive's check needs pg_restore of the target's
 * major, so it runs when asked for.
 */
final class EarlyCheck implements AutoCloseable {

  private final FoundBackup backup;
  private final BackupFetcher fetcher;
  private final RunContext context;
  private final SqlBackupMetrics.Restore metrics;
  private final Background<BackupIntegrity.Checked> task;
  private final Background<Optional<DatabaseProperties>> properties;

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
      // A plain backup's check runs no client tool. Its properties are read from its head once it
      // is checked (which also readies the inflater the restore uses), but the restore waits for
      // them only when it creates the database.
      task = Background.start("the check of " + backup, () -> check(null));
      properties =
          Background.start(
              "the database properties of " + backup,
              () -> DatabaseCreation.of(task.get(), context.processes(), null));
    } else {
      task = null;
      properties = null;
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
    return task == null ? check(clients) : task.get();
  }

  /** The database properties the checked backup carries (see {@link DatabaseCreation#of}). */
  Optional<DatabaseProperties> properties(
      BackupIntegrity.Checked checked, ClientTools.Clients clients) throws InterruptedException {
    return properties != null
        ? properties.get()
        : DatabaseCreation.of(checked, context.processes(), clients);
  }

  private BackupIntegrity.Checked check(ClientTools.Clients clients) throws InterruptedException {
    return BackupIntegrity.prepare(
        backup, fetcher, context.processes(), clients, context.clock(), metrics);
  }

  /** Stops a check nobody waits for any more (the target was refused, for example). */
  @Override
  public void close() {
    if (task != null) {
      properties.close();
      task.close(); // its download, if any, must stop before the fetcher removes its directory
    }
  }
}
