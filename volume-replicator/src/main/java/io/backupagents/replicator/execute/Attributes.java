package io.backupagents.replicator.execute;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets owner, group, mode and modification time on a target entry, in that order: {@code chown}
 * clears setuid and setgid bits, so the mode comes after it, and the time comes last because
 * changing the others does not touch it. Symlinks get owner and time only (Linux has no {@code
 * lchmod}). Ownership is set only when running as root, by numeric id; a refused {@code chown}
 * (root-squashed NFS, a user namespace) is a counted warning, not a failure.
 */
public final class Attributes {

  private static final Logger log = LoggerFactory.getLogger(Attributes.class);

  private final boolean owners;
  private final RunStats stats;
  private final Clock clock;
  private final AtomicBoolean ownerWarned = new AtomicBoolean();

  public Attributes(boolean owners, RunStats stats, Clock clock) {
    this.owners = owners;
    this.stats = stats;
    this.clock = clock;
  }

  /** True when this process runs as root (owner of /proc/self), so it can set owners. */
  public static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  public boolean owners() {
    return owners;
  }

  /**
   * Applies {@code source}'s attributes to {@code path}; {@code current} holds what the path has
   * now (null: a file this run just created), so unchanged attributes cost no system call. With
   * {@code noFollow} the last component is never followed (even a temporary file of ours may have
   * been swapped for a symlink by someone else with access to the target).
   */
  public void apply(Path path, Entry source, Entry current, boolean noFollow) throws IOException {
    boolean link = source.kind() == Entry.Kind.SYMLINK;
    noFollow = noFollow || link;
    boolean chowned = false;
    if (owners
        && source.uid() != Entry.UNKNOWN
        && (current == null || current.uid() != source.uid() || current.gid() != source.gid())) {
      chowned = chown(path, source, noFollow);
    }
    if (!link
        && source.mode() != Entry.UNKNOWN
        && (current == null || current.mode() != source.mode() || chowned)) {
      PosixCalls.chmod(path, source.mode(), noFollow);
    }
    if (source.hasMtime() && (current == null || current.mtimeNanos() != source.mtimeNanos())) {
      setTime(path, source.mtimeNanos(), noFollow);
    }
  }

  /** False when {@link #apply} would make no system call: an unchanged pass opens nothing. */
  public boolean wouldChange(Entry source, Entry current) {
    if (current == null) {
      return true;
    }
    boolean link = source.kind() == Entry.Kind.SYMLINK;
    boolean owner =
        owners
            && source.uid() != Entry.UNKNOWN
            && (current.uid() != source.uid() || current.gid() != source.gid());
    boolean mode = !link && source.mode() != Entry.UNKNOWN && current.mode() != source.mode();
    boolean time = source.hasMtime() && current.mtimeNanos() != source.mtimeNanos();
    return owner || mode || time;
  }

  /**
   * Sets the modification time (nanoseconds where the file system keeps them) and the access time
   * to now; never through a symlink when {@code noFollow}.
   */
  public void setTime(Path path, long mtimeNanos, boolean noFollow) throws IOException {
    Instant now = clock.instant();
    long atime = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    PosixCalls.setTimes(path, atime, mtimeNanos, noFollow);
  }

  private boolean chown(Path path, Entry source, boolean noFollow) throws IOException {
    try {
      PosixCalls.chown(path, source.uid(), source.gid(), noFollow);
      return true;
    } catch (FileSystemException e) {
      // EPERM: a root-squashed NFS export; EINVAL: an id the user namespace cannot map.
      String reason = String.valueOf(e.getReason());
      if (!reason.contains("not permitted") && !reason.contains("Invalid argument")) {
        throw e;
      }
      stats.ownerRefusals.increment();
      stats.warnings.increment();
      if (ownerWarned.compareAndSet(false, true)) {
        log.warn(
            "the target refused to change the owner of {} ({}): the volume is probably"
                + " root-squashed NFS; owners are not kept (counted, not a failure)",
            source.key(),
            e.getReason());
      }
      return false;
    }
  }
}
