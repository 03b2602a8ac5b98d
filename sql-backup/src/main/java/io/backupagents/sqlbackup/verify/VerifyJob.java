package io.backupagents.sqlbackup.verify;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.FromBackup;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import io.backupagents.sqlbackup.source.BackupFetcher;
import io.backupagents.sqlbackup.source.BackupListing;
import io.backupagents.sqlbackup.source.BackupSelection;
import io.backupagents.sqlbackup.source.BackupSources;
import io.backupagents.sqlbackup.source.FoundBackup;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify action: restores the newest backup run (every database file it made) into a scratch
 * database, compares it with the source, drops the scratch database, and on success pushes {@code
 * sql_backup_last_verified_timestamp_seconds}.
 */
final class VerifyJob implements Job {

  private static final Logger log = LoggerFactory.getLogger(VerifyJob.class);

  private final RestoreSettings settings;
  private final Verification verification;
  private final HostEnvironment host;
  private final PrintStream out;

  VerifyJob(
      RestoreSettings settings, Verification verification, HostEnvironment host, PrintStream out) {
    this.settings = settings;
    this.verification = verification;
    this.host = host;
    this.out = out;
  }

  @Override
  public Map<String, String> metricsGroupingKey() {
    return Map.of("action", "verify");
  }

  @Override
  public void run(RunContext context) throws Exception {
    try (BackupSources sources = new BackupSources(settings.roots(), settings.buckets())) {
      List<FoundBackup> found = sources.find();
      Instant now = context.clock().instant();
      if (settings.from().mode() == FromBackup.Mode.NONE) {
        BackupListing.lines(found, now, sources.describe()).forEach(out::println);
        return;
      }
      List<FoundBackup> run =
          BackupSelection.selectRun(
              found, settings.from(), now, settings.maxAge(), sources.describe());
      SqlBackupMetrics.Restore metrics =
          SqlBackupMetrics.Restore.in(context.registry(), SqlBackupMetrics.Restore.Kind.VERIFY);
      ExitCode outcome = ExitCode.UNEXPECTED;
      try {
        int tables = verifyAll(run, sources, context, metrics);
        metrics.tables(tables);
        metrics.verified(context.clock().instant());
        outcome = ExitCode.SUCCESS;
        log.info("verified {}: {} tables restored and checked", run, tables);
      } catch (AgentException e) {
        outcome = e.exitCode();
        throw e;
      } finally {
        metrics.outcome(outcome, Duration.between(now, context.clock().instant()));
      }
    }
  }

  private int verifyAll(
      List<FoundBackup> run,
      BackupSources sources,
      RunContext context,
      SqlBackupMetrics.Restore metrics)
      throws IOException, InterruptedException {
    int tables = 0;
    for (FoundBackup backup : run) {
      try (BackupFetcher fetcher =
          new BackupFetcher(
              BackupFetcher.workDirectory(
                  settings.downloadDir(), settings.recoveryRoot(), host.tempDir()),
              sources,
              context.clock())) {
        BackupFetcher.Fetched fetched = fetcher.fetch(backup, backup.copies().get(0));
        List<SanityCheck.Report> reports =
            new ArrayList<>(
                verification.verify(fetched, fetcher::temporaryDirectory, context, metrics));
        verification.requireSane(backup.toString(), reports);
        tables += reports.stream().mapToInt(SanityCheck.Report::tables).sum();
      }
    }
    return tables;
  }
}
