package io.backupagents.replicator.execute;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.exit.FileSystemFailures;
import io.backupagents.replicator.fs.DirectoryHandles;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.Names;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.ScanEvents;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts what went wrong in a run: files that vanished or changed meanwhile (counted, not errors),
 * errors of single entries (counted; they cancel the run's deletions), and failures that make going
 * on pointless (target full or read-only, store unreachable, credentials refused), which stop the
 * run.
 */
public final class Failures implements ScanEvents {

  private static final Logger log = LoggerFactory.getLogger("volume-replicator");

  private final RunStats stats;
  private final Set<String> erred = ConcurrentHashMap.newKeySet();
  private volatile AgentException fatal;

  public Failures(RunStats stats) {
    this.stats = stats;
  }

  /** Records that work on {@code e} failed with {@code failure}. */
  public void failed(Entry e, String what, Throwable failure) {
    String key = e.path().isEmpty() ? "./" : Names.shown(e.path());
    if (failure instanceof SourceChangedException changed) {
      stats.vanished.increment();
      log.warn(
          "{} {} (counted as vanished; {})",
          key,
          changed.getMessage(),
          changed.uploaded()
              ? "the object holds what was read, with the time from before the change, so the"
                  + " next run looks at it again"
              : "not copied: a run during which it does not change copies it");
      return;
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      stop(new AgentException(ExitCode.OPERATION_FAILED, "interrupted while copying " + key));
      return;
    }
    if (failure instanceof AgentException a && isFatal(a.exitCode())) {
      stop(a);
      return;
    }
    if (isDiskFull(failure)) {
      stop(
          new AgentException(
              ExitCode.NO_SPACE, "the target is full (while writing " + key + ")", failure));
      return;
    }
    if (FileSystemFailures.classify(failure, null)
        .filter(f -> f.exitCode() == ExitCode.READ_ONLY)
        .isPresent()) {
      stop(
          new AgentException(
              ExitCode.READ_ONLY,
              "the target is on a read-only file system (while "
                  + (what.startsWith("delete") ? "deleting " : "writing ")
                  + key
                  + "): mount it read-write; the run stopped there and deleted nothing",
              failure));
      return;
    }
    stats.errors.increment();
    log.error("{}: {}: {}", key, what, Names.shown(describe(failure, e.parentKey())));
  }

  @Override
  public void error(String key, String cause) {
    erred.add(key);
    stats.readErrors.increment();
    log.error("{}: {}", key.isEmpty() ? "./" : Names.shown(key), cause);
  }

  @Override
  public void warning(String key, String message) {
    stats.warnings.increment();
    log.warn("{}: {}", key.isEmpty() ? "./" : Names.shown(key), message);
  }

  /** Stops the run with {@code failure} (the first one wins). */
  public void stop(AgentException failure) {
    if (fatal == null) {
      fatal = failure;
    }
  }

  /**
   * True when the target filled up: the run copies nothing more, but it still plans to the end and
   * makes the deletions the guard allows, which free room (deleting after the copies, a full target
   * would otherwise never make room for what replaces its old files).
   */
  public boolean targetFull() {
    AgentException f = fatal;
    return f != null && f.exitCode() == ExitCode.NO_SPACE;
  }

  /** Throws the failure that stopped the run, if any, except a full target (see targetFull). */
  public void throwIfFatalUnlessFull() {
    if (!targetFull()) {
      throwIfFatal();
    }
  }

  /** Throws the failure that stopped the run, if any. */
  public void throwIfFatal() {
    AgentException f = fatal;
    if (f != null) {
      throw f;
    }
  }

  /** True when reading {@code key} (a directory's listing, say) failed in this run. */
  public boolean readFailed(String key) {
    return erred.contains(key);
  }

  public long errors() {
    return stats.errors.sum() + stats.readErrors.sum();
  }

  private static boolean isFatal(ExitCode code) {
    return code == ExitCode.UNREACHABLE
        || code == ExitCode.AUTH_FAILED
        || code == ExitCode.NOT_FOUND;
  }

  static boolean isDiskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException && String.valueOf(c.getMessage()).contains("No space left")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failure in a line, the paths it names through a held directory ({@code
   * /proc/self/fd/<fd>/<name>}, see DirectoryHandles) shown as the entry's directory instead.
   */
  private static String describe(Throwable t, String directoryKey) {
    String message;
    if (t instanceof AgentException || t.getMessage() == null) {
      message = t.getMessage() == null ? t.toString() : t.getMessage();
    } else {
      message = t.getClass().getSimpleName() + ": " + t.getMessage();
    }
    return DirectoryHandles.shown(message, directoryKey);
  }
}
