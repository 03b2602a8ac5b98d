package io.backupagents.replicator.execute;

import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.config.Location;
import io.backupagents.replicator.config.ReplicatorSettings;
import io.backupagents.replicator.config.ReplicatorSettings.Fsync;
import io.backupagents.replicator.manifest.ManifestWriter;
import io.backupagents.replicator.plan.Action;
import io.backupagents.replicator.plan.ChangeRule;
import io.backupagents.replicator.plan.PlanRules;
import io.backupagents.replicator.plan.PlanTotals;
import io.backupagents.replicator.plan.SyncPlanner;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.Listing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync from a source location to a target location: scan both sides, plan by merging the
 * listings while the workers carry the plan out, then (only after every copy succeeded) the guarded
 * deletions, directory attributes, a flush and the S3 manifest.
 */
public final class SyncRun {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  /**
   * How long a temporary file must have been left unchanged before a run removes it as a killed
   * run's leftover: a younger one may belong to a run writing into the same target now.
   */
  static final Duration TEMP_GRACE = Duration.ofMinutes(15);

  private final ReplicatorSettings settings;
  private final Location source;
  private final Location target;
  private final Function<String, S3Store> stores;
  private final RunStats stats;
  private final Failures failures;
  private final Attributes attributes;
  private final ProcessRunner processes;
  private final Clock clock;
  private final Path workDir;
  private Runnable onPlanned = () -> {};

  public SyncRun(
      ReplicatorSettings settings,
      Location source,
      Location target,
      S3Connection s3,
      RunStats stats,
      ProcessRunner processes,
      Clock clock,
      Path workDir) {
    this.settings = settings;
    this.source = source;
    this.target = target;
    this.stores = bucket -> new S3Store(s3, bucket);
    this.stats = stats;
    this.failures = new Failures(stats);
    this.attributes = new Attributes(Attributes.runningAsRoot(), stats, clock);
    this.processes = processes;
    this.clock = clock;
    this.workDir = workDir;
  }

  /** Called once the whole plan has been made (the totals are final). */
  public SyncRun onPlanned(Runnable callback) {
    this.onPlanned = callback;
    return this;
  }

  public Failures failures() {
    return failures;
  }

  /** Runs the sync; throws the failure that stopped it, if one did. */
  public Outcome run() throws Exception {
    BandwidthLimit limit = BandwidthLimit.of(settings.bandwidthLimit().orElse(0));
    Sides sides =
        Sides.open(settings, source, target, stores, limit, stats, attributes, failures, workDir);
    if (sides.directoryTarget() != null
        && !settings.dryRun()
        && sides.directoryTarget().prepare()) {
      log.info("created the target directory {}", target);
    }
    PlanRules rules =
        new PlanRules(
            sides.directoryTarget() != null,
            settings.delete(),
            settings.mtimeWindow().toNanos(),
            settings.checksum(),
            attributes.owners(),
            settings.shard());
    Transfer transfer =
        new Transfer(sides.source(), sides.target(), new ChangeRule(rules), limit, stats);
    ManifestWriter manifest = sides.newManifest(settings.dryRun());
    try (Workers workers = new Workers(settings.checkers(), settings.transfers());
        DeletionList deletions = new DeletionList(workDir);
        Listing sourceListing = sides.openSource();
        Listing targetListing = sides.openTarget()) {
      ActionHandler handler =
          new ActionHandler(
              workers,
              transfer,
              sides.directoryTarget(),
              manifest,
              deletions,
              failures,
              stats,
              settings.quiet(),
              settings.dryRun(),
              settings.delete(),
              clock.instant().minus(TEMP_GRACE));
      PlanTotals totals;
      try {
        totals =
            new SyncPlanner(rules)
                .plan(
                    new CountingIterator(sides.checked(sourceListing, true), stats, true),
                    new CountingIterator(sides.checked(targetListing, false), stats, false),
                    handler);
        onPlanned.run();
      } finally {
        workers.awaitIdle();
      }
      failures.throwIfFatalUnlessFull();
      sides.recordListRequests();
      boolean sourceMissing = sourceListing.rootMissing();
      if (totals.sourceFiles() == 0 && totals.targetFiles() == 0) {
        // Nothing to copy and nothing to guard: still worth a word (a wrong prefix or volume?).
        stats.warnings.increment();
        log.warn(
            "the source {}: there was nothing to copy (is it the right one, and mounted?)",
            sourceMissing ? "does not exist" : "holds no files");
      }
      DeletionGuard.Verdict verdict =
          DeletionGuard.decide(totals, failures.errors(), sourceMissing, settings.maxDelete());
      boolean deleted = deleteOrReport(verdict, deletions, sides, workers, totals);
      if (failures.targetFull()) {
        long freed = stats.deletedFiles.sum() + stats.deletedDirectories.sum();
        if (deleted && freed > 0) {
          log.warn(
              "the target is full: this run deleted the {} entries the source no longer has (the"
                  + " guard allowed it), so that the next run has room for what it could not copy",
              freed);
        }
        failures.throwIfFatal();
      }
      retryBlocked(handler, workers, deleted);
      failures.throwIfFatal();
      if (!verdict.refused() || (totals.sourceFiles() > 0 && !sourceMissing)) {
        // A run refused for an empty or lost source (an unmounted volume, most likely) leaves the
        // target's attributes alone; one refused for too many deletions sets them, as rsync does.
        finishDirectories(handler, sides.directoryTarget());
      }
      flush(sides.directoryTarget());
      sides.saveManifest(manifest, failures.errors() == 0 && !verdict.refused(), clock.instant());
      return new Outcome(totals, verdict, sourceMissing);
    } finally {
      if (manifest != null) {
        manifest.close();
      }
      if (sides.directoryTarget() != null) {
        sides.directoryTarget().close();
      }
      if (sides.source() instanceof DirectorySource ds) {
        ds.close();
      }
    }
  }

  private boolean deleteOrReport(
      DeletionGuard.Verdict verdict,
      DeletionList deletions,
      Sides sides,
      Workers workers,
      PlanTotals totals)
      throws Exception {
    if (verdict.refused()) {
      stats.deletionRefusals.increment();
      log.error("deletion guard: {}", verdict.reason());
      return false;
    }
    if (verdict.skippedForErrors()) {
      log.error("{}", verdict.reason());
      return false;
    }
    if (settings.dryRun()) {
      if (totals.deletions() > 0) {
        log.info("the deletion guard would allow the {} deletions", totals.deletions());
      }
      return false;
    }
    new Deleter(sides, workers, failures, stats, settings.quiet(), !settings.shard().isWhole())
        .deleteAll(deletions);
    return true;
  }

  private void retryBlocked(ActionHandler handler, Workers workers, boolean deleted) {
    List<Action> blocked = handler.blocked();
    for (Action a : blocked) {
      if (deleted) {
        handler.retry(a);
      } else {
        failures.failed(
            a.subject(),
            "not copied",
            new java.io.IOException(
                "what the source no longer has is in its way (a non-empty directory, a file"
                    + " where the source has a directory or a symlink, or a symlink where it has a"
                    + " directory), and this run's deletions did not happen"));
      }
    }
    workers.awaitIdle();
    for (Action a : handler.blocked()) {
      failures.failed(
          a.subject(),
          "not copied",
          new java.io.IOException("what the source no longer has is still in its way"));
    }
  }

  private void finishDirectories(ActionHandler handler, DirectoryTarget dt) {
    if (dt == null || settings.dryRun()) {
      return;
    }
    for (Action.FinishDirectory f : handler.directoriesToFinish()) {
      if (failures.readFailed(f.source().key())) {
        continue; // its listing failed: what it holds, and its mode, are not known to be right
      }
      try {
        dt.finishDirectory(f.source(), f.target(), f.changedInside());
      } catch (java.io.IOException e) {
        failures.failed(f.source(), "cannot set the directory's attributes", e);
      }
    }
  }

  private boolean wroteAnything() {
    return stats.copiedFiles.sum()
            + stats.links.sum()
            + stats.createdDirectories.sum()
            + stats.attributeUpdates.sum()
            + stats.timeUpdates.sum()
            + stats.deletedFiles.sum()
            + stats.deletedDirectories.sum()
            + stats.tempsRemoved.sum()
        > 0;
  }

  /** Flushes the target file system once, so a finished run is on disk (REPLICATE_FSYNC=end). */
  private void flush(DirectoryTarget dt) {
    if (dt == null || settings.dryRun() || settings.fsync() == Fsync.NO || !wroteAnything()) {
      return;
    }
    try {
      processes.run(
          ProcessSpec.of("sync", List.of("sync", "-f", dt.root().toString()))
              .withTimeout(Duration.ofMinutes(30)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      stats.warnings.increment();
      log.warn(
          "could not flush the target file system ({}): the copies are done but may still be in"
              + " the page cache",
          e.getMessage());
    }
  }
}
