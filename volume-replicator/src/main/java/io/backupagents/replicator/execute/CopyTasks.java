package io.backupagents.replicator.execute;

import io.backupagents.common.logging.Units;
import io.backupagents.replicator.manifest.ManifestWriter;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.Names;
import io.backupagents.replicator.plan.Action;
import io.backupagents.replicator.report.RunStats;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data side of a plan: copies on the transfer workers, checks on the check workers (a check
 * that finds a difference copies under a transfer permit), each filling in its entry's manifest
 * slot when it knows the object's final state.
 */
final class CopyTasks {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  private final Workers workers;
  private final Transfer transfer;
  private final Failures failures;
  private final RunStats stats;
  private final boolean quiet;
  private final boolean dryRun;
  private final Consumer<Action> blocked;

  CopyTasks(
      Workers workers,
      Transfer transfer,
      Failures failures,
      RunStats stats,
      boolean quiet,
      boolean dryRun,
      Consumer<Action> blocked) {
    this.workers = workers;
    this.transfer = transfer;
    this.failures = failures;
    this.stats = stats;
    this.quiet = quiet;
    this.dryRun = dryRun;
    this.blocked = blocked;
  }

  void copy(Action.Copy c, ManifestWriter.Slot slot) {
    Entry s = c.source();
    stats.plannedCopies.increment();
    stats.plannedBytes.add(s.size());
    if (dryRun) {
      log.info("would copy {} ({})", Names.shownAll(s.path(), Units.bytes(s.size())));
      return;
    }
    workers.transfer(() -> runCopy(c, s, c.target() == null, slot));
  }

  private void runCopy(Action action, Entry s, boolean created, ManifestWriter.Slot slot) {
    try {
      Entry done = transfer.copy(s);
      stats.copiedFiles.increment();
      stats.copiedBytes.add(s.size());
      if (created) {
        stats.createdFiles.increment();
      }
      if (slot != null) {
        slot.complete(done.size(), done.etag(), done.mtimeNanos());
      }
      perFile("copied {}", s.path());
    } catch (WaitsForDeletionsException e) {
      blocked.accept(action);
      drop(slot);
    } catch (Exception e) {
      drop(slot);
      failures.failed(s, "copy failed", e);
    }
  }

  void check(Action.Check c, ManifestWriter.Slot slot) {
    workers.check(
        () -> {
          try {
            Transfer.Done d = transfer.check(c.source(), c.target(), c.kind());
            settle(c, d, slot);
          } catch (Exception e) {
            drop(slot);
            failures.failed(c.source(), "check failed", e);
          }
        });
  }

  private void settle(Action.Check c, Transfer.Done d, ManifestWriter.Slot slot) throws Exception {
    Entry s = d.source();
    switch (d.result()) {
      case COPY -> {
        stats.plannedCopies.increment();
        stats.plannedBytes.add(s.size());
        if (dryRun) {
          log.info("would copy {} ({})", Names.shownAll(s.path(), Units.bytes(s.size())));
        } else {
          workers.asTransfer(() -> runCopy(c, s, false, slot));
        }
      }
      case TIME -> {
        if (dryRun) {
          log.info("would set the modification time of {}", Names.shownAll(s.path()));
          return;
        }
        Entry t = transfer.setTime(s, d.target());
        stats.timeUpdates.increment();
        complete(slot, t);
        perFile("set the time of {} (same data)", s.path());
      }
      case ATTRIBUTES -> {
        if (dryRun) {
          log.info("would set the mode or owner of {}", Names.shownAll(s.path()));
          return;
        }
        complete(slot, transfer.fixAttributes(s, d.target()));
        stats.attributeUpdates.increment();
      }
      case UNCHANGED -> {
        stats.unchanged.increment();
        complete(slot, d.target());
      }
    }
  }

  private static void complete(ManifestWriter.Slot slot, Entry t) {
    if (slot != null && t != null && t.etag() != null && t.hasMtime()) {
      slot.complete(t.size(), t.etag(), t.mtimeNanos());
    } else {
      drop(slot);
    }
  }

  private static void drop(ManifestWriter.Slot slot) {
    if (slot != null) {
      slot.drop();
    }
  }

  private void perFile(String format, Object... args) {
    if (!quiet) {
      log.info(format, Names.shownAll(args));
    }
  }
}
