package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of the source swapped for a symlink to an outside directory after its parent was
 * listed and before it is read itself: the names and attributes of what the symlink points to must
 * not enter the listing. The moment is made certain by the listing's bounded queue: both
 * directories of the root are listed at once (d1 has two entries, d0 forty thousand), then the
 * scanner cannot read past d0's entries, and so cannot open d1/sub, until the test has taken most
 * of them, which it does only after the swap.
 */
class DirectoryScannerSwapTest {

  /** More entries than the listing holds unread (64 batches of 512). */
  private static final int FILES = 40_000;

  @TempDir Path dir;

  @Test
  void aDirectorySwappedForASymlinkDuringTheScanIsNotListedThrough() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path many = Files.createDirectories(root.resolve("d0"));
    for (int i = 0; i < FILES; i++) {
      Files.createFile(many.resolve(String.format("f%05d", i)));
    }
    Files.createDirectories(root.resolve("d1/sub"));
    Files.writeString(root.resolve("d1/sub/inside"), "in");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "SECRET");
    Map<String, String> warnings = new ConcurrentHashMap<>();
    Map<String, String> errors = new ConcurrentHashMap<>();
    ScanEvents events =
        new ScanEvents() {
          @Override
          public void error(String key, String cause) {
            errors.put(key, cause);
          }

          @Override
          public void warning(String key, String message) {
            warnings.put(key, message);
          }
        };

    List<Entry> listed = new ArrayList<>();
    try (Listing l = new DirectoryScanner(root, PathFilter.defaults(), 2, events).open("source")) {
      while (l.hasNext()) {
        Entry e = l.next();
        listed.add(e);
        if (listed.size() == 1) {
          // d1 was listed (d1/sub a directory then); d1/sub itself is read after d0's entries.
          Files.move(root.resolve("d1/sub"), dir.resolve("sub.old"));
          Files.createSymbolicLink(root.resolve("d1/sub"), outside);
        }
      }
    }

    List<String> keys = listed.stream().map(Entry::key).toList();
    assertThat(keys).contains("d1/", "d1/sub/").hasSize(1 + 1 + FILES + 1 + 1);
    assertThat(keys).noneMatch(k -> k.startsWith("d1/sub/") && !k.equals("d1/sub/"));
    assertThat(warnings)
        .containsEntry(
            "d1/sub/", "was replaced by a symlink while being listed: nothing below it is read");
    assertThat(errors).isEmpty();
  }

  @Test
  void aDirectoryReplacedByAFileDuringTheScanIsReportedAsVanished() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path many = Files.createDirectories(root.resolve("d0"));
    for (int i = 0; i < FILES; i++) {
      Files.createFile(many.resolve(String.format("f%05d", i)));
    }
    Files.createDirectories(root.resolve("d1/sub"));
    Map<String, String> warnings = new ConcurrentHashMap<>();
    ScanEvents events =
        new ScanEvents() {
          @Override
          public void error(String key, String cause) {
            throw new AssertionError(key + ": " + cause);
          }

          @Override
          public void warning(String key, String message) {
            warnings.put(key, message);
          }
        };

    int seen = 0;
    try (Listing l = new DirectoryScanner(root, PathFilter.defaults(), 2, events).open("source")) {
      while (l.hasNext()) {
        l.next();
        if (++seen == 1) {
          Files.delete(root.resolve("d1/sub"));
          Files.writeString(root.resolve("d1/sub"), "a file now");
        }
      }
    }

    assertThat(warnings).containsEntry("d1/sub/", "vanished while being listed");
  }
}
