package io.backupagents.common.fs;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files being written under a temporary name. When a SIGTERM ends the JVM, the threads writing them
 * never reach their {@code finally}: a shutdown hook removes every file still tracked, so a stopped
 * run leaves no partial backup or partial copy behind (the next run would remove it, but only the
 * next run). A tracked file that was published (renamed) or deleted meanwhile is simply absent.
 */
public final class PartialFiles {

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    try {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(PartialFiles::removeAll, "remove-partial-files"));
    } catch (IllegalStateException e) {
      // First used while the JVM shuts down (a termination message written by a shutdown hook):
      // its writer deletes what it does not publish.
    }
  }

  private PartialFiles() {}

  /**
   * Tracks {@code file} (or a directory, removed with all it holds) until {@link #untrack}; returns
   * it. A file a writer starts while the hook runs may be missed (the threads go on until the JVM
   * halts): the next run removes it.
   */
  public static Path track(Path file) {
    LIVE.add(file);
    return file;
  }

  /** Stops tracking {@code file}: it was published or removed. */
  public static void untrack(Path file) {
    LIVE.remove(file);
  }

  /** Removes every tracked file that still exists; returns how many it removed. */
  static int removeAll() {
    int removed = 0;
    for (Path file : java.util.List.copyOf(LIVE)) {
      try {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          FileTrees.delete(file);
          removed++;
        } else if (Files.deleteIfExists(file)) {
          removed++;
        }
      } catch (Exception e) {
        // The JVM is ending: the next run removes what is left (a closed file system in tests).
      }
      LIVE.remove(file);
    }
    return removed;
  }
}
