package io.backupagents.replicator.execute;

import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.config.Location;
import io.backupagents.replicator.config.ReplicatorSettings;
import io.backupagents.replicator.config.Shard;
import io.backupagents.replicator.manifest.ManifestReader;
import io.backupagents.replicator.manifest.ManifestStore;
import io.backupagents.replicator.manifest.ManifestWriter;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.DirectoryScanner;
import io.backupagents.replicator.scan.Listing;
import io.backupagents.replicator.scan.OrderCheck;
import io.backupagents.replicator.scan.S3Scanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ends of a run, built from the locations: how each is listed, read or written, and the S3
 * manifests that go with them.
 */
final class Sides {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  private final ReplicatorSettings settings;
  private final RunStats stats;
  private final Path workDir;
  private SourceSide source;
  private TargetSide target;
  private DirectoryScanner sourceDirectories;
  private DirectoryScanner targetDirectories;
  private S3Scanner sourceObjects;
  private S3Scanner targetObjects;
  private ManifestStore targetManifest;
  private final Failures failures;
  private ManifestReader sourceManifestReader = ManifestReader.none();
  private ManifestReader targetManifestReader = ManifestReader.none();
  private Path manifestFile;

  private Sides(ReplicatorSettings settings, RunStats stats, Failures failures, Path workDir) {
    this.settings = settings;
    this.failures = failures;
    this.stats = stats;
    this.workDir = workDir;
  }

  static Sides open(
      ReplicatorSettings settings,
      Location source,
      Location target,
      Function<String, S3Store> stores,
      BandwidthLimit limit,
      RunStats stats,
      Attributes attributes,
      Failures failures,
      Path workDir) {
    Sides s = new Sides(settings, stats, failures, workDir);
    boolean directoryTarget = !target.isBucket();
    switch (target) {
      case Location.Directory d -> {
        s.target = new DirectoryTarget(d.root(), attributes, settings.fsync(), settings.delete());
        s.targetDirectories =
            new DirectoryScanner(d.root(), settings.filter(), settings.checkers(), failures);
      }
      case Location.Bucket b -> {
        S3Store store = stores.apply(b.location().bucket());
        s.target = new S3Target(store, b.location(), stats);
        s.targetManifest =
            new ManifestStore(store, b.location(), settings.manifestPrefix(), settings.shard());
      }
    }
    switch (source) {
      case Location.Directory d -> {
        s.source = new DirectorySource(d.root(), limit);
        s.sourceDirectories =
            new DirectoryScanner(d.root(), settings.filter(), settings.checkers(), failures);
      }
      case Location.Bucket b -> {
        S3Store store = stores.apply(b.location().bucket());
        s.source = new S3Source(store, b.location(), stats);
        ManifestStore manifests =
            new ManifestStore(store, b.location(), settings.manifestPrefix(), Shard.WHOLE);
        if (settings.manifest()) {
          stats.s3Gets.increment();
          s.sourceManifestReader = manifests.load(workDir);
        }
        s.sourceObjects =
            new S3Scanner(
                store::list,
                b.location(),
                settings.filter(),
                s.sourceManifestReader,
                new S3Scanner.Options(
                    directoryTarget, manifests.relativeManifestPrefix(), settings.checkers()),
                failures);
      }
    }
    return s;
  }

  SourceSide source() {
    return source;
  }

  TargetSide target() {
    return target;
  }

  /** The target when it is a directory tree, else null. */
  DirectoryTarget directoryTarget() {
    return switch (target) {
      case DirectoryTarget d -> d;
      case S3Target t -> null;
    };
  }

  /** The target when it is an S3 location, else null. */
  S3Target s3Target() {
    return switch (target) {
      case DirectoryTarget d -> null;
      case S3Target t -> t;
    };
  }

  Listing openSource() {
    return sourceDirectories != null
        ? sourceDirectories.open("source")
        : sourceObjects.open("source");
  }

  /**
   * Starts the target's listing. An S3 target's manifest is fetched here, after the source's
   * listing has started, so that the first S3 request (which also warms up the client) overlaps
   * with scanning the source.
   */
  Listing openTarget() {
    if (targetDirectories != null) {
      return targetDirectories.open("target");
    }
    if (settings.manifest()) {
      stats.s3Gets.increment();
      targetManifestReader = targetManifest.load(workDir);
    }
    targetObjects =
        new S3Scanner(
            s3Target().store()::list,
            s3Target().location(),
            settings.filter(),
            targetManifestReader,
            new S3Scanner.Options(
                false, targetManifest.relativeManifestPrefix(), settings.checkers()),
            failures);
    return targetObjects.open("target");
  }

  /** The listing, with its order checked when it comes from S3. */
  Iterator<Entry> checked(Listing listing, boolean source) {
    boolean fromS3 = source ? sourceObjects != null : targetObjects != null;
    return fromS3 ? new OrderCheck(listing, source ? "source" : "target") : listing;
  }

  /** A writer for the target's next manifest, or null when there is none to keep. */
  ManifestWriter newManifest(boolean dryRun) throws IOException {
    if (targetManifest == null || !settings.manifest() || dryRun) {
      return null;
    }
    manifestFile = Files.createTempFile(workDir, "manifest-out-", ".gz");
    return new ManifestWriter(manifestFile);
  }

  /** Finishes the manifest and stores it when the run deserves it ({@code ok}). */
  void saveManifest(ManifestWriter writer, boolean ok, Instant now) throws IOException {
    sourceManifestReader.close();
    targetManifestReader.close();
    if (writer == null) {
      return;
    }
    long entries = writer.finish();
    if (!ok) {
      log.info("the manifest is not updated because the run was not clean");
      return;
    }
    if (entries == targetManifestReader.hits() && nothingChanged()) {
      log.info("the manifest is up to date ({} entries)", entries);
      return;
    }
    targetManifest.save(manifestFile, now);
    stats.s3Puts.increment();
    log.info(
        "manifest of {} entries stored at s3://{}/{}",
        entries,
        s3Target().store().bucket(),
        targetManifest.key());
  }

  private boolean nothingChanged() {
    return stats.copiedFiles.sum() == 0
        && stats.timeUpdates.sum() == 0
        && stats.deletedFiles.sum() == 0
        && stats.s3Heads.sum() == 0;
  }

  /** Adds the list requests and manifest hits of the scans to the statistics. */
  void recordListRequests() {
    for (S3Scanner scanner : new S3Scanner[] {sourceObjects, targetObjects}) {
      if (scanner != null) {
        stats.s3Lists.add(scanner.listRequests());
      }
    }
    stats.manifestHits.add(sourceManifestReader.hits() + targetManifestReader.hits());
  }
}
