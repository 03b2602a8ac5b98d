package io.backupagents.sqlbackup.verify;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Background;
import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.RestoreTools;
import io.backupagents.sqlbackup.load.TargetServer;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.source.BackupFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a backup restores: checks it, restores each of its databases in turn into a scratch
 * database (on a scratch server, or on the source server), compares the result with the source, and
 * drops the scratch database again. A backup that does not restore, or restores far from its
 * source, fails with VERIFY_FAILED.
 */
final class Verification {

  private static final Logger log = LoggerFactory.getLogger(Verification.class);

  private final VerifySettings settings;
  private final PostgresSettings source;
  private final HostEnvironment host;
  private final Optional<Duration> timeout;
  private final int jobs;

  Verification(
      VerifySettings settings,
      PostgresSettings source,
      HostEnvironment host,
      Optional<Duration> timeout,
      int jobs) {
    this.settings = settings;
    this.source = source;
    this.host = host;
    this.timeout = timeout;
    this.jobs = jobs;
  }

  /**
   * Verifies one backup file and returns what each of its databases held. A plain backup's check
   * (which needs no client tool) runs while the scratch server is connected to and the client tools
   * are found: on a JVM that just started, each takes a few tenths of a second. That connection
   * stays open as the session that takes the scratch database's lock and makes it. The source
   * server is first asked once a database has been restored (a source that does not answer takes up
   * to PG_CONNECT_TIMEOUT, which a failed check or restore should not wait for).
   */
  List<SanityCheck.Report> verify(
      BackupFetcher.Fetched fetched,
      Supplier<Path> workDir,
      RunContext context,
      SqlBackupMetrics.Restore metrics)
      throws IOException, InterruptedException {
    PostgresSettings scratchServer = settings.scratchServer().orElse(source);
    boolean plain = fetched.name().format().plain();
    try (PgCredentials scratch =
            PgCredentials.create(scratchServer, host.tempDir(), host.home(), context.clock());
        PgCredentials sourceCredentials =
            PgCredentials.create(source, host.tempDir(), host.home(), context.clock());
        Background<BackupIntegrity.Checked> plainCheck =
            plain
                ? Background.start(
                    "the check of " + fetched.name(),
                    () -> check(fetched, workDir, null, context, metrics))
                : null;
        TargetServer.Session session = TargetServer.session(scratch)) {
      TargetServer target = session.server();
      log.info(
          "verifying {} in scratch database {} on {}",
          fetched.name(),
          settings.scratchDatabase(),
          target.where());
      ClientTools.Clients clients =
          RestoreTools.forServer(
              host,
              scratchServer,
              context.processes(),
              target.version().major(),
              fetched.name().format());
      BackupIntegrity.Checked checked =
          plain ? plainCheck.get() : check(fetched, workDir, clients, context, metrics);
      Instant start = context.clock().instant();
      ScratchRestore restore =
          new ScratchRestore(
              settings,
              new ScratchRestore.Target(
                  session, scratch, new SanityCheck.Source(sourceCredentials), clients),
              timeout,
              jobs,
              workDir,
              context);
      List<SanityCheck.Report> reports = restore.all(checked);
      metrics.phase("restore", Duration.between(start, context.clock().instant()));
      return reports;
    }
  }

  private static BackupIntegrity.Checked check(
      BackupFetcher.Fetched fetched,
      Supplier<Path> workDir,
      ClientTools.Clients clients,
      RunContext context,
      SqlBackupMetrics.Restore metrics)
      throws InterruptedException {
    return BackupIntegrity.check(
        fetched, workDir, context.processes(), clients, context.clock(), metrics);
  }

  /** Fails unless the reports show enough tables and no difference beyond the tolerance. */
  void requireSane(String backup, List<SanityCheck.Report> reports) {
    int tables = reports.stream().mapToInt(SanityCheck.Report::tables).sum();
    List<String> problems = new ArrayList<>();
    reports.forEach(r -> problems.addAll(r.problems()));
    if (tables < settings.minTables()) {
      problems.add(
          "it restored "
              + tables
              + " tables, fewer than VERIFY_MIN_TABLES="
              + settings.minTables());
    }
    if (!problems.isEmpty()) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          backup + " restores, but not as expected: " + String.join("; ", problems));
    }
  }
}
