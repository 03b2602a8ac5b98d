package io.backupagents.common.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A private ({@code 0700}) temporary directory that lives exactly as long as the run that made it:
 * deleted on {@link #close()} and, through a shutdown hook, when a SIGTERM ends the JVM. The run
 * holds an OS lock on a file inside it, which the kernel releases when the process dies in any way
 * (SIGKILL, the OOM killer), so the next run tells a dead run's directory (lock free) from a live
 * one's (lock held) and removes it at once ({@link #removeAbandoned}), instead of waiting for an
 * age that could also match a long, live run.
 */
public final class RunDirectory implements AutoCloseable {

  private static final String LOCK_FILE = ".owner.lock";

  // This JVM's own directories are never probed: closing any descriptor of a file drops every
  // POSIX lock the process holds on it, so probing our own lock would release it.
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel lockChannel;
  private final Thread onShutdown;

  private RunDirectory(Path dir, FileChannel lockChannel) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.onShutdown = new Thread(() -> FileTrees.deleteTree(dir), "remove-" + dir.getFileName());
  }

  /** Creates {@code <parent>/<prefix><random>}, readable by this user only, and locks it. */
  public static RunDirectory create(Path parent, String prefix) throws IOException {
    Path dir =
        Files.createTempDirectory(
            parent,
            prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              dir.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channel.lock();
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      FileTrees.deleteTree(dir);
      throw e;
    }
    RunDirectory created = new RunDirectory(dir, channel);
    LIVE.add(dir);
    Runtime.getRuntime().addShutdownHook(created.onShutdown);
    return created;
  }

  public Path path() {
    return dir;
  }

  /** Deletes the directory with everything in it. */
  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(onShutdown);
    } catch (IllegalStateException e) {
      // shutting down already: the hook deletes it
    }
    try {
      if (!FileTrees.deleteTree(dir)) {
        throw new IOException("could not remove " + dir);
      }
    } finally {
      lockChannel.close(); // releases the lock
      LIVE.remove(dir);
    }
  }

  /**
   * Removes the {@code <prefix>*} directories in {@code parent} whose run is gone: their lock is
   * free, or they have no lock file (made by an earlier version, or by a run killed before it took
   * the lock) and were last modified more than {@code lockless} before {@code clock}'s now. Returns
   * what it removed.
   */
  public static List<Path> removeAbandoned(
      Path parent, String prefix, Duration lockless, Clock clock) throws IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return removed;
    }
    List<Path> candidates;
    try (Stream<Path> children = Files.list(parent)) {
      candidates =
          children
              .filter(c -> c.getFileName().toString().startsWith(prefix))
              .filter(c -> Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS))
              .filter(c -> !LIVE.contains(c))
              .toList();
    }
    Instant cutoff = clock.instant().minus(lockless);
    for (Path candidate : candidates) {
      if (abandoned(candidate, cutoff) && FileTrees.deleteTree(candidate)) {
        removed.add(candidate);
      }
    }
    return removed;
  }

  private static boolean abandoned(Path dir, Instant cutoff) throws IOException {
    Path lockFile = dir.resolve(LOCK_FILE);
    if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      return Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff);
    }
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = channel.tryLock();
      return lock != null; // closing the channel releases it
    } catch (OverlappingFileLockException e) {
      return false; // held by a run in this very JVM
    } catch (IOException e) {
      return false; // another user's, or vanished meanwhile: not ours to judge
    }
  }
}
