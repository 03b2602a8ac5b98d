package io.backupagents.replicator.job;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.replicator.config.Location;
import io.backupagents.replicator.config.ReplicatorSettings;
import io.backupagents.replicator.config.Shard;
import io.backupagents.replicator.execute.Outcome;
import io.backupagents.replicator.execute.SyncRun;
import io.backupagents.replicator.report.ReplicatorMetrics;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.report.SyncProgress;
import io.backupagents.replicator.report.SyncSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replication run: resolves the day's target, runs the sync, prints the summary, records the
 * metrics and turns the outcome into an exit code.
 */
public final class ReplicationJob implements Job {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  private final ReplicatorSettings settings;

  public ReplicationJob(ReplicatorSettings settings) {
    this.settings = settings;
  }

  public ReplicatorSettings settings() {
    return settings;
  }

  @Override
  public Map<String, String> metricsGroupingKey() {
    return Map.of("target", settings.targetName());
  }

  @Override
  public void run(RunContext context) throws Exception {
    LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
    Location target = settings.target().resolve(settings.day().forDate(today));
    log.info(
        "sync {} -> {} ({}, deletions {}, MAX_DELETE={}, {} checkers, {} transfers{})",
        settings.source(),
        target,
        settings.shard(),
        settings.delete() ? "on" : "off",
        settings.maxDelete(),
        settings.checkers(),
        settings.transfers(),
        settings.dryRun() ? ", DRY RUN" : "");
    RunStats stats = new RunStats();
    ReplicatorMetrics metrics = new ReplicatorMetrics(context.registry(), settings.targetName());
    long start = System.nanoTime();
    Path workDir = Files.createTempDirectory("volume-replicator-");
    Outcome outcome;
    try (S3Connection s3 = settings.s3().map(S3Connection::open).orElse(null);
        SyncProgress progress =
            new SyncProgress(stats, context.clock(), settings.progressInterval(), log::info)
                .start()) {
      SyncRun run =
          new SyncRun(
              settings,
              settings.source(),
              target,
              s3,
              stats,
              context.processes(),
              context.clock(),
              workDir);
      outcome = run.onPlanned(progress::planned).run();
    } finally {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      log.info(
          "summary{}:\n{}",
          settings.dryRun() ? " (dry run: nothing was changed)" : "",
          SyncSummary.render(stats, elapsed, settings.dryRun(), isS3(target)).stripTrailing());
      metrics.record(stats);
      if (!FileTrees.deleteTree(workDir)) {
        log.debug("could not remove {}", workDir);
      }
    }
    conclude(outcome, stats, target);
    if (!settings.dryRun()) {
      // A dry run changed nothing: the success times, which staleness alerts watch, stay.
      metrics.success(context.clock().instant());
    }
  }

  @Override
  public boolean recordsSuccess() {
    return !settings.dryRun();
  }

  private void conclude(Outcome outcome, RunStats stats, Location target) {
    long errors = stats.errors.sum() + stats.readErrors.sum();
    if (outcome.verdict().refused()) {
      // Errors before the guard's decision would have skipped the deletions instead: these are
      // entries that waited for the refused deletions.
      throw new AgentException(
          ExitCode.GUARD_REFUSED,
          outcome.verdict().reason()
              + (errors > 0
                  ? "; " + errors + " entries that waited for those deletions were not copied"
                  : ""));
    }
    if (errors > 0) {
      throw new AgentException(
          ExitCode.PARTIAL,
          errors
              + " entries could not be copied, read or deleted (see the log)"
              + (outcome.verdict().skippedForErrors()
                  ? "; the run's deletions were skipped"
                  : outcome.totals().deletions() > 0 ? "; the other deletions were made" : ""));
    }
    if (outcome.sourceMissing()) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "the source " + settings.source() + " does not exist (is the volume mounted?)");
    }
    long vanished = stats.vanished.sum();
    if (vanished > 0) {
      if (settings.strictVanished()) {
        throw new AgentException(
            ExitCode.VANISHED, vanished + " source files vanished or changed while being copied");
      }
      log.warn(
          "{} source files vanished or changed while being copied (REPLICATE_STRICT_VANISHED=no:"
              + " the run still succeeds)",
          vanished);
    }
    log.info("{}", conclusion(stats, target));
  }

  /** The last line: what the run did, never more ("in sync" only when nothing was left out). */
  private String conclusion(RunStats stats, Location target) {
    if (settings.dryRun()) {
      return String.format(
          Locale.ROOT,
          "dry run: nothing was changed; a run would copy %,d files and delete %,d entries of %s"
              + " (the lines above say which)",
          stats.plannedCopies.sum(),
          stats.plannedDeletions.sum(),
          target);
    }
    long vanished = stats.vanished.sum();
    if (vanished > 0) {
      return String.format(
          Locale.ROOT,
          "%s is NOT fully in sync with %s: %,d files were copied, %,d vanished or changed while"
              + " being copied and were not copied (a run during which they do not change copies"
              + " them)",
          target,
          settings.source(),
          stats.copiedFiles.sum(),
          vanished);
    }
    String inSync = target + " is in sync with " + settings.source();
    Shard shard = settings.shard();
    return shard.isWhole()
        ? inSync
        : String.format(
            Locale.ROOT,
            "shard %d of %d: %s, for the paths of this shard",
            shard.index() + 1,
            shard.count(),
            inSync);
  }

  private static boolean isS3(Location target) {
    return target.isBucket();
  }
}
