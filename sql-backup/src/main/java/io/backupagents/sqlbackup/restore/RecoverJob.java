package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Background;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.logging.Units;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.DatabaseCreation;
import io.backupagents.sqlbackup.load.PgRestoreRun;
import io.backupagents.sqlbackup.load.RestoreTools;
import io.backupagents.sqlbackup.load.TargetServer;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.FromBackup;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.script.ClusterRestoreFilter;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import io.backupagents.sqlbackup.source.BackupCopy;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.BackupListing;
import io.backupagents.sqlbackup.source.BackupSelection;
import io.backupagents.sqlbackup.source.BackupSources;
import io.backupagents.sqlbackup.source.FoundBackup;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recover action: find the backups, pick the one asked for, make sure the target may be
 * written, prove the backup sound, restore it, and check the result.
 */
final class RecoverJob implements Job {

  private static final Logger log = LoggerFactory.getLogger(RecoverJob.class);

  private final RestoreSettings settings;
  private final PostgresSettings postgres;
  private final HostEnvironment host;
  private final PrintStream out;

  RecoverJob(
      RestoreSettings settings, PostgresSettings postgres, HostEnvironment host, PrintStream out) {
    this.settings = settings;
    this.postgres = postgres;
    this.host = host;
    this.out = out;
  }

  @Override
  public Map<String, String> metricsGroupingKey() {
    return Map.of("action", "recover");
  }

  @Override
  public void run(RunContext context) throws Exception {
    if (settings.from().mode() == FromBackup.Mode.NONE) {
      try (BackupSources sources = new BackupSources(settings.roots(), settings.buckets())) {
        BackupListing.lines(sources.find(), context.clock().instant(), sources.describe())
            .forEach(out::println);
      }
      return;
    }
    // The server is read (one connection, see TargetServer.survey) while the backups are found
    // and the chosen one is checked: nothing is written to it before both are done.
    try (PgCredentials credentials =
            PgCredentials.create(postgres, host.tempDir(), host.home(), context.clock());
        Background<TargetServer.Survey> survey =
            Background.start(
                "the survey of the target server",
                () ->
                    TargetServer.survey(
                        credentials, connectable -> TargetGuard.counted(settings, connectable)));
        BackupSources sources = new BackupSources(settings.roots(), settings.buckets())) {
      List<FoundBackup> found = sources.find();
      Instant now = context.clock().instant();
      FoundBackup chosen =
          BackupSelection.select(
              found,
              settings.from(),
              settings.database(),
              now,
              settings.maxAge(),
              sources.describe());
      log.info(
          "restoring {} ({}, {} old, in {})",
          chosen,
          Units.bytes(chosen.size()),
          BackupListing.age(Duration.between(chosen.name().time(), now)),
          chosen.copies().stream().map(BackupCopy::where).toList());
      SqlBackupMetrics.Restore metrics =
          SqlBackupMetrics.Restore.in(context.registry(), SqlBackupMetrics.Restore.Kind.RESTORE);
      ExitCode outcome = ExitCode.UNEXPECTED;
      try {
        restore(chosen, sources, credentials, survey, context, metrics);
        outcome = ExitCode.SUCCESS;
      } catch (AgentException e) {
        outcome = e.exitCode();
        throw e;
      } finally {
        metrics.outcome(outcome, Duration.between(now, context.clock().instant()));
      }
    }
  }

  private void restore(
      FoundBackup chosen,
      BackupSources sources,
      PgCredentials credentials,
      Background<TargetServer.Survey> surveying,
      RunContext context,
      SqlBackupMetrics.Restore metrics)
      throws IOException, InterruptedException {
    try (BackupFetcher fetcher =
            new BackupFetcher(
                BackupFetcher.workDirectory(
                    settings.downloadDir(), settings.recoveryRoot(), host.tempDir()),
                sources,
                context.clock());
        EarlyCheck early = EarlyCheck.start(chosen, fetcher, context, metrics)) {
      RestoreTools.Candidates tools =
          RestoreTools.candidates(host, postgres, context.processes(), chosen.name().format());
      TargetServer.Survey survey = surveying.get();
      TargetServer target = survey.server();
      log.info("target: PostgreSQL {} at {}, {}", target.version().full(), target.where(), what());
      ClientTools.Clients clients = RestoreTools.choose(tools, target.version().major());
      boolean create = TargetGuard.check(survey, settings);
      BackupIntegrity.Checked checked = early.get(clients);
      requireKind(checked);
      Optional<DatabaseProperties> properties =
          create ? early.properties(checked, clients) : Optional.empty();
      PgRestoreRun.StartOver startOver = PgRestoreRun.StartOver.NOTHING;
      if (create) {
        String database = settings.database().get();
        DatabaseCreation.create(
            target, database, properties, context.processes(), clients, credentials);
        startOver =
            () -> {
              target.drop(database);
              DatabaseCreation.create(
                  target, database, properties, context.processes(), clients, credentials);
            };
      } else if (settings.database().isPresent()) {
        log.info(
            "restoring into the existing database {}: it keeps its own encoding, locale, owner,"
                + " comment, grants and settings (only a database the restore creates gets the"
                + " backup's)",
            settings.database().get());
      }
      Optional<ClusterRestoreFilter.Selection> selection = Optional.empty();
      if (!settings.databases().isEmpty()) {
        Set<String> existing = new TreeSet<>(survey.roles());
        existing.add(credentials.environment().get("PGUSER"));
        selection = Optional.of(DumpallSelection.choose(checked, settings.databases(), existing));
      }
      RestoreRun.Result result;
      try {
        result =
            new RestoreRun(settings, context, clients, credentials, metrics)
                .restore(checked, survey, create, startOver, selection);
      } catch (AgentException e) {
        throw create && checked.archive().isEmpty() ? dropCreated(target, e) : e;
      }
      if (create) {
        DatabaseCreation.settle(
            settings.database().get(), properties, context.processes(), clients, credentials);
      }
      afterwards(target, result, metrics);
    }
  }

  /**
   * A plain restore into a database this run created failed: with ON_ERROR_STOP the database goes
   * with what the restore had loaded into it (its connections commit as they go), and the next run
   * starts where this one did. Without it, or from an archive (pg_restore's jobs commit as they
   * go), what the restore got stays for the operator to look at.
   */
  private AgentException dropCreated(TargetServer target, AgentException failure) {
    if (!settings.stopOnError()) {
      return failure;
    }
    try {
      target.drop(settings.database().get());
    } catch (AgentException e) {
      failure.addSuppressed(e);
      return failure;
    }
    return new AgentException(
        failure.exitCode(),
        failure.getMessage() + "; the database this run created was dropped again",
        failure);
  }

  /** The content decides: a dumpall needs the whole server, a pg_dump a database. */
  private void requireKind(BackupIntegrity.Checked checked) {
    if (checked.cluster() && settings.database().isPresent()) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          checked.name()
              + " is a pg_dumpall of a whole server, but DATABASE="
              + settings.database().get()
              + " asks for one database: unset DATABASE");
    }
    if (!checked.cluster() && !settings.databases().isEmpty()) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          checked.name()
              + " holds one database: RESTORE_DATABASES (or --database) chooses databases of a"
              + " pg_dumpall; set DATABASE to the database to restore it into");
    }
    if (!checked.cluster() && settings.database().isEmpty()) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          checked.name() + " holds one database: set DATABASE to the database to restore it into");
    }
  }

  private void afterwards(
      TargetServer target, RestoreRun.Result result, SqlBackupMetrics.Restore metrics) {
    int databases = target.databaseCount();
    metrics.databases(databases);
    if (settings.expectedDatabases().isPresent()
        && databases != settings.expectedDatabases().getAsInt()) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          "after the restore the server has "
              + databases
              + " databases, but DATABASE_EXPECTED_COUNT="
              + settings.expectedDatabases().getAsInt());
    }
    if (result.sqlErrors() > 0) {
      log.warn(
          "restore finished with {} SQL errors, gone past as DO_NOT_STOP_ON_ERROR asks",
          result.sqlErrors());
    }
    log.info(
        "restored {} into {} in {}; the server now has {} databases",
        result.backup(),
        what(),
        Units.duration(result.took()),
        databases);
  }

  /** What the restore goes into, for logs: "database app", "databases a, b", "the whole server". */
  private String what() {
    if (settings.database().isPresent()) {
      return "database " + settings.database().get();
    }
    return settings.databases().isEmpty()
        ? "the whole server"
        : "databases " + String.join(", ", settings.databases()) + " of the server";
  }
}
