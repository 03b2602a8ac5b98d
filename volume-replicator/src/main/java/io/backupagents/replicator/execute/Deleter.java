package io.backupagents.replicator.execute;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.Names;
import io.backupagents.replicator.report.RunStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a run's deletions once the guard allowed them: objects in batches of 1000, files in
 * parallel, then directories deepest first, each only while empty (a directory still holding
 * entries the run keeps, or another shard's entries, stays).
 */
final class Deleter {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");
  private static final int BATCH = 1000;

  private final Sides sides;
  private final Workers workers;
  private final Failures failures;
  private final RunStats stats;
  private final boolean quiet;
  private final boolean sharded;

  Deleter(
      Sides sides,
      Workers workers,
      Failures failures,
      RunStats stats,
      boolean quiet,
      boolean sharded) {
    this.sides = sides;
    this.workers = workers;
    this.failures = failures;
    this.stats = stats;
    this.quiet = quiet;
    this.sharded = sharded;
  }

  void deleteAll(DeletionList list) throws IOException {
    if (sides.s3Target() != null) {
      deleteObjects(list);
    } else {
      deleteEntries(list, sides.directoryTarget());
    }
  }

  private void deleteObjects(DeletionList list) throws IOException {
    S3Target target = sides.s3Target();
    List<String> batch = new ArrayList<>(BATCH);
    DeletionList.KeyConsumer flush =
        key -> {
          batch.add(key);
          if (batch.size() == BATCH) {
            deleteBatch(target, batch);
          }
        };
    list.forEachFile(flush);
    deleteBatch(target, batch);
  }

  private void deleteBatch(S3Target target, List<String> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      target.delete(batch);
      stats.deletedFiles.add(batch.size());
      if (!quiet) {
        batch.forEach(k -> log.info("deleted {}", Names.shown(k)));
      }
    } catch (RuntimeException e) {
      failures.failed(Entry.object(batch.get(0), 0, Entry.UNKNOWN_TIME, ""), "delete failed", e);
    }
    batch.clear();
  }

  private void deleteEntries(DeletionList list, DirectoryTarget target) throws IOException {
    list.forEachFile(
        key ->
            workers.check(
                () -> {
                  Entry e = Entry.file(key, 0, Entry.UNKNOWN_TIME, -1, -1, -1);
                  try {
                    if (target.delete(e)) {
                      stats.deletedFiles.increment();
                      if (!quiet) {
                        log.info("deleted {}", Names.shown(key));
                      }
                    }
                  } catch (IOException x) {
                    failures.failed(e, "delete failed", x);
                  }
                }));
    workers.awaitIdle();
    for (String key : list.directoriesDeepestFirst()) {
      Entry dir = Entry.directory(key, Entry.UNKNOWN_TIME, -1, -1, -1);
      try {
        if (target.delete(dir)) {
          stats.deletedDirectories.increment();
          if (!quiet) {
            log.info("deleted {}", Names.shown(key));
          }
        } else if (!sharded && target.isDirectory(dir)) {
          stats.warnings.increment();
          log.warn(
              "kept the directory {}: it still holds entries this run keeps", Names.shown(key));
        }
      } catch (IOException x) {
        failures.failed(dir, "delete failed", x);
      }
    }
  }
}
