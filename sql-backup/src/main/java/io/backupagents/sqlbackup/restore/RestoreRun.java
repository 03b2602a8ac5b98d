package io.backupagents.sqlbackup.restore;

import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.ParallelLoad;
import io.backupagents.sqlbackup.load.PgRestoreRun;
import io.backupagents.sqlbackup.load.PsqlRun;
import io.backupagents.sqlbackup.load.RestoreProgress;
import io.backupagents.sqlbackup.load.TargetServer;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.script.ClusterRestoreFilter;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.script.OneTransactionFilter;
import io.backupagents.sqlbackup.script.SqlStreamFilter;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a backup that passed its check: a dumpall into the server through psql (with the
 * statements that cannot work on a fresh server adjusted by {@link ClusterRestoreFilter}), a
 * single-database dump into its database through psql in one transaction, an archive through
 * pg_restore with parallel jobs.
 */
final class RestoreRun {

  private static final Logger log = LoggerFactory.getLogger(RestoreRun.class);

  /** How the restore went: SQL errors gone past (DO_NOT_STOP_ON_ERROR) and its duration. */
  record Result(BackupName backup, int sqlErrors, Duration took) {}

  private final RestoreSettings settings;
  private final RunContext context;
  private final ClientTools.Clients clients;
  private final PgCredentials credentials;
  private final SqlBackupMetrics.Restore metrics;

  RestoreRun(
      RestoreSettings settings,
      RunContext context,
      ClientTools.Clients clients,
      PgCredentials credentials,
      SqlBackupMetrics.Restore metrics) {
    this.settings = settings;
    this.context = context;
    this.clients = clients;
    this.credentials = credentials;
    this.metrics = metrics;
  }

  /**
   * Restores {@code checked}; {@code newDatabase} says the target database was just created (an
   * archive's objects then replace nothing), and {@code startOver} makes it afresh when a parallel
   * pg_restore starts over with one job.
   */
  Result restore(
      BackupIntegrity.Checked checked,
      TargetServer.Survey survey,
      boolean newDatabase,
      PgRestoreRun.StartOver startOver,
      Optional<ClusterRestoreFilter.Selection> selection)
      throws IOException, InterruptedException {
    Instant start = context.clock().instant();
    String what = "restore of " + checked.name();
    int errors;
    if (checked.archive().isPresent()) {
      PsqlRun.Options options =
          new PsqlRun.Options(what, settings.stopOnError(), false, settings.timeout());
      errors =
          PgRestoreRun.run(
              context.processes(),
              clients,
              credentials,
              settings.database().orElseThrow(),
              checked.archive().get(),
              settings.jobs(),
              options,
              newDatabase ? List.of() : PgRestoreRun.REPLACE,
              startOver,
              context.clock());
    } else {
      // One transaction into an existing database (a failure leaves it as it was); a database this
      // run created is dropped on failure instead, so its table data can load in parallel.
      boolean oneTransaction =
          settings.stopOnError() && !checked.cluster() && !(newDatabase && settings.jobs() > 1);
      PsqlRun.Options options =
          new PsqlRun.Options(what, settings.stopOnError(), oneTransaction, settings.timeout());
      errors = plain(checked, survey, options, selection);
    }
    Duration took = Duration.between(start, context.clock().instant());
    metrics.phase("restore", took);
    metrics.sqlErrors(errors);
    return new Result(checked.name(), errors, took);
  }

  private int plain(
      BackupIntegrity.Checked checked,
      TargetServer.Survey survey,
      PsqlRun.Options options,
      Optional<ClusterRestoreFilter.Selection> selection)
      throws IOException, InterruptedException {
    Supplier<SqlStreamFilter> filters;
    String database;
    // Going on past errors, psql may be left without a connection or in a failed transaction,
    // where the parallel load's marker query would never come back: one connection then.
    int connections = options.singleTransaction() || !options.stopOnError() ? 1 : settings.jobs();
    if (checked.cluster()) {
      Set<String> kept =
          new TreeSet<>(
              List.of(credentials.environment().get("PGUSER"), survey.bootstrapSuperuser()));
      TargetServer target = survey.server();
      boolean force = settings.force() && target.version().major() >= 13;
      filters =
          () -> new ClusterRestoreFilter(kept, target.maintenanceDatabase(), force, selection);
      database = target.maintenanceDatabase();
      log.info(
          "restoring the dumpall through psql, starting in {}{}; roles {} keep their attributes"
              + " and passwords",
          database,
          loading(connections),
          kept);
    } else {
      database = settings.database().orElseThrow();
      filters = () -> new OneTransactionFilter(options.singleTransaction());
      log.info(
          "restoring into {} through psql{}",
          database,
          options.singleTransaction() ? ", in one transaction" : loading(connections));
    }
    SqlStreamFilter filter = filters.get();
    Path file = checked.fetched().file();
    DumpKind kind = checked.kind().orElseThrow();
    int errors;
    try (RestoreProgress progress =
        RestoreProgress.start("restore", Files.size(file), context.clock())) {
      errors =
          ParallelLoad.run(
              context.processes(),
              clients,
              credentials,
              database,
              options,
              connections,
              ParallelLoad.readers(file, progress, kind, filter, filters));
    }
    if (filter.cleaningStatementsLeftOut() > 0) {
      log.info(
          "left out {} of pg_dump's cleaning statements that fail where their object is missing",
          filter.cleaningStatementsLeftOut());
    }
    if (filter instanceof ClusterRestoreFilter cluster && cluster.roleStatementsLeftOut() > 0) {
      log.info(
          "left out {} statements about the roles the restore runs as",
          cluster.roleStatementsLeftOut());
    }
    return errors;
  }

  private static String loading(int connections) {
    return connections > 1 ? ", loading table data over " + connections + " connections" : "";
  }
}
