package io.backupagents.replicator.execute;

import io.backupagents.common.logging.Units;
import io.backupagents.replicator.manifest.ManifestWriter;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.Names;
import io.backupagents.replicator.plan.Action;
import io.backupagents.replicator.report.RunStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the plan as it streams from the planner: directories at once (their contents follow
 * right behind), data and metadata work on the capped workers, deletions and directory attributes
 * kept for the end of the run. In dry-run mode it prints what it would do instead.
 */
public final class ActionHandler implements Consumer<Action> {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  private final Workers workers;
  private final CopyTasks copies;
  private final DirectoryTarget directoryTarget;
  private final ManifestWriter manifest;
  private final DeletionList deletions;
  private final Failures failures;
  private final RunStats stats;
  private final boolean quiet;
  private final boolean dryRun;
  private final Queue<Action> blocked = new ConcurrentLinkedQueue<>();

  /**
   * Directories that wait for the deletions (a file is in their place), and so all they hold. Used
   * by the planner's thread only ({@link #accept}, then {@link #retry} and {@link
   * #directoriesToFinish} after it), hence a plain list.
   */
  private final List<String> waiting = new ArrayList<>();

  private volatile boolean retrying;

  /** Whether the run deletes (REPLICATE_DELETE): without, a file in a directory's way is kept. */
  private final boolean deleting;

  private final Instant tempsStaleBefore;

  private final Queue<Action.FinishDirectory> finishing = new ConcurrentLinkedQueue<>();

  public ActionHandler(
      Workers workers,
      Transfer transfer,
      DirectoryTarget directoryTarget,
      ManifestWriter manifest,
      DeletionList deletions,
      Failures failures,
      RunStats stats,
      boolean quiet,
      boolean dryRun,
      boolean deleting,
      Instant tempsStaleBefore) {
    this.deleting = deleting;
    this.tempsStaleBefore = tempsStaleBefore;
    this.workers = workers;
    this.copies = new CopyTasks(workers, transfer, failures, stats, quiet, dryRun, blocked::add);
    this.directoryTarget = directoryTarget;
    this.manifest = manifest;
    this.deletions = deletions;
    this.failures = failures;
    this.stats = stats;
    this.quiet = quiet;
    this.dryRun = dryRun;
  }

  @Override
  public void accept(Action action) {
    failures.throwIfFatalUnlessFull();
    stats.handled.increment();
    if (failures.targetFull() && (writesEntry(action) || action instanceof Action.FixAttributes)) {
      return; // no room: only the plan's deletions go on
    }
    if (!waiting.isEmpty() && writesEntry(action) && insideWaiting(action.subject().key())) {
      if (deleting) {
        blocked.add(action); // its directory waits for the deletions
      }
      return;
    }
    try {
      switch (action) {
        case Action.MakeDirectory m -> makeDirectory(m.source(), m.target());
        case Action.Copy c -> copies.copy(c, reserve(c.source()));
        case Action.Check c -> copies.check(c, reserve(c.source()));
        case Action.Link l -> onCheckers(l, () -> link(l));
        case Action.FixAttributes f -> fixAttributes(f);
        case Action.Unchanged u -> unchanged(u.target());
        case Action.Delete d -> delete(d.target());
        case Action.RemoveTemp r -> removeTemp(r.target());
        case Action.Skip s -> skip(s);
        case Action.FinishDirectory f -> finishing.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies that a non-empty directory blocked; they can run once deletions removed it. */
  public List<Action> blocked() {
    List<Action> all = List.copyOf(blocked);
    blocked.clear();
    return all;
  }

  /**
   * Directories whose attributes are set at the end, deepest first; not those that were never
   * created (a file is still in their place).
   */
  public List<Action.FinishDirectory> directoriesToFinish() {
    return finishing.stream()
        .filter(f -> waiting.isEmpty() || !insideWaiting(f.subject().key()))
        .toList()
        .reversed();
  }

  /** Runs a blocked action again (after the deletions). */
  public void retry(Action action) {
    if (!retrying) {
      waiting.clear(); // the deletions are done: each directory is tried again, in order
      retrying = true;
    }
    if (!waiting.isEmpty() && writesEntry(action) && insideWaiting(action.subject().key())) {
      blocked.add(action); // its directory still could not be made
      return;
    }
    switch (action) {
      case Action.Copy c -> copies.copy(c, null);
      case Action.Link l -> onCheckers(l, () -> link(l));
      case Action.MakeDirectory m -> makeDirectory(m.source(), m.target());
      default -> accept(action);
    }
  }

  private static boolean writesEntry(Action action) {
    return action instanceof Action.Copy
        || action instanceof Action.Check
        || action instanceof Action.Link
        || action instanceof Action.MakeDirectory;
  }

  private boolean insideWaiting(String key) {
    for (String dir : waiting) {
      if (key.startsWith(dir)) {
        return true;
      }
    }
    return false;
  }

  private ManifestWriter.Slot reserve(Entry s) throws IOException {
    return manifest == null || dryRun ? null : manifest.reserve(s.key());
  }

  private void makeDirectory(Entry s, Entry t) {
    if (dryRun) {
      if (t == null && !s.key().isEmpty()) {
        log.info("would create directory {}", Names.shownAll(s.path()));
      }
      return;
    }
    try {
      if (directoryTarget.makeDirectory(s, t)) {
        stats.createdDirectories.increment();
        perFile("created directory {}", s.path());
      }
    } catch (WaitsForDeletionsException e) {
      // A file the source no longer has is there: the directory and all it holds wait for the
      // deletions, or are not copied at all when the run deletes nothing.
      waiting.add(s.key());
      if (deleting) {
        blocked.add(new Action.MakeDirectory(s, t));
      } else {
        stats.warnings.increment();
        log.warn(
            "{}: not copied: the target has a file there, which REPLICATE_DELETE=no keeps",
            s.path());
      }
    } catch (IOException e) {
      failures.failed(s, "cannot create the directory", e);
    }
  }

  private void link(Action.Link l) throws IOException {
    if (dryRun) {
      log.info("would link {} -> {}", Names.shownAll(l.source().path(), l.source().linkTarget()));
      return;
    }
    if (!retrying && l.target() != null && l.target().kind() == Entry.Kind.FILE) {
      blocked.add(l); // the file it replaces goes only with the run's deletions
      return;
    }
    try {
      directoryTarget.link(l.source());
      stats.links.increment();
      perFile("linked {} -> {}", l.source().path(), l.source().linkTarget());
    } catch (WaitsForDeletionsException e) {
      blocked.add(l);
    }
  }

  private void fixAttributes(Action.FixAttributes f) {
    if (dryRun) {
      log.info("would set the mode, owner or time of {}", Names.shownAll(f.source().path()));
      return;
    }
    onCheckers(
        f,
        () -> {
          directoryTarget.fixAttributes(f.source(), f.target());
          stats.attributeUpdates.increment();
        });
  }

  private void unchanged(Entry t) throws IOException {
    stats.unchanged.increment();
    if (manifest != null && !dryRun && t.etag() != null) {
      manifest.add(t.key(), t.size(), t.etag(), t.mtimeNanos());
    }
  }

  private void delete(Entry t) throws IOException {
    if (!t.isDirectory()) {
      stats.plannedDeletions.increment();
    }
    deletions.add(t.key());
    if (dryRun) {
      log.info("would delete {}{}", Names.shownAll(t.path(), t.isDirectory() ? "/" : ""));
    }
  }

  private void removeTemp(Entry t) {
    if (dryRun) {
      log.info("would remove the stale temporary file {}", Names.shownAll(t.path()));
      return;
    }
    onCheckers(
        new Action.RemoveTemp(t),
        () -> {
          switch (directoryTarget.removeTemp(t, tempsStaleBefore)) {
            case REMOVED -> {
              stats.tempsRemoved.increment();
              perFile("removed the stale temporary file {}", t.path());
            }
            case KEPT_RECENT -> {
              stats.warnings.increment();
              log.warn(
                  "kept the temporary file {}: it changed in the last {}, so another run may be"
                      + " writing into this target now; a later run removes it once it is older",
                  Names.shownAll(t.path(), Units.duration(SyncRun.TEMP_GRACE)));
            }
            case GONE -> {
              // removed meanwhile (by the run that wrote it, say)
            }
          }
        });
  }

  private void skip(Action.Skip s) {
    stats.skipped.increment();
    if (s.source().kind() == Entry.Kind.SPECIAL) {
      stats.warnings.increment();
      log.warn("skipped {}: {}", Names.shownAll(s.source().path(), s.reason()));
    } else {
      perFile("skipped {}: {}", s.source().path(), s.reason());
    }
  }

  private void onCheckers(Action action, Workers.Task task) {
    workers.check(
        () -> {
          try {
            task.run();
          } catch (Exception e) {
            failures.failed(action.subject(), "failed", e);
          }
        });
  }

  private void perFile(String format, Object... args) {
    if (!quiet) {
      log.info(format, Names.shownAll(args));
    }
  }
}
