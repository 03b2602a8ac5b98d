package io.backupagents.common.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Operations on whole directory trees. */
public final class FileTrees {

  private FileTrees() {}

  /**
   * Deletes {@code dir} and everything under it, as far as it can (symbolic links are deleted, not
   * followed); returns false when something is left.
   */
  public static boolean deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }
}
