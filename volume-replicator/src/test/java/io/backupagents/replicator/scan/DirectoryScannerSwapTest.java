package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.config.PathFilter;
import io.backupagents.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of the source (d1/sub) replaced after its parent was listed and before it is read
 * itself: the names and attributes of what a symlink there points to must not enter the listing.
 * The moment is made certain by the listing's bounded queue: both directories of the root are
 * listed at once (d1 has one entry, d0 forty thousand), then the scanner cannot read past d0's
 * entries, and so cannot open d1/sub, until the test has taken most of them, which it does only
 * after the swap.
 */
class DirectoryScannerSwapTest {

  /** More entries than the listing holds unread (64 batches of 512). */
  private static final int FILES = 40_000;

  @TempDir Path dir;

  /** What the scanner reported, by key. */
  private static final class Recorded implements ScanEvents {
    final Map<String, String> warnings = new ConcurrentHashMap<>();
    final Map<String, String> errors = new ConcurrentHashMap<>();

    @Override
    public void error(String key, String cause) {
      errors.put(key, cause);
    }

    @Override
    public void warning(String key, String message) {
      warnings.put(key, message);
    }
  }

  @FunctionalInterface
  private interface Swap {
    void replace(Path sub) throws IOException;
  }

  /** Scans root/{d0/f*, d1/sub/inside}, replacing d1/sub once the first entry arrives. */
  private List<String> scanReplacing(Swap swap, Recorded events) throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path many = Files.createDirectories(root.resolve("d0"));
    for (int i = 0; i < FILES; i++) {
      Files.createFile(many.resolve(String.format("f%05d", i)));
    }
    Files.createDirectories(root.resolve("d1/sub"));
    Files.writeString(root.resolve("d1/sub/inside"), "in");
    List<String> keys = new ArrayList<>();
    try (Listing l = new DirectoryScanner(root, PathFilter.defaults(), 2, events).open("source")) {
      while (l.hasNext()) {
        keys.add(l.next().key());
        if (keys.size() == 1) {
          // d1 was listed (d1/sub a directory then); d1/sub itself is read after d0's entries.
          swap.replace(root.resolve("d1/sub"));
        }
      }
    }
    return keys;
  }

  @Test
  void aDirectorySwappedForASymlinkDuringTheScanIsNotListedThrough() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "SECRET");
    Recorded events = new Recorded();

    List<String> keys =
        scanReplacing(
            sub -> {
              Files.move(sub, dir.resolve("sub.old"));
              Files.createSymbolicLink(sub, outside);
            },
            events);

    assertThat(keys).contains("d1/", "d1/sub/").hasSize(1 + 1 + FILES + 1 + 1);
    assertThat(keys).noneMatch(k -> k.startsWith("d1/sub/") && !k.equals("d1/sub/"));
    assertThat(events.warnings)
        .containsEntry(
            "d1/sub/", "was replaced by a symlink while being listed: nothing below it is read");
    assertThat(events.errors).isEmpty();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aDirectoryReplacedByAFifoDuringTheScanIsReportedAsVanishedWithoutWaitingOnIt()
      throws IOException {
    // Opening a FIFO for reading waits for a writer: the scan must not, or the run never ends.
    Recorded events = new Recorded();

    List<String> keys =
        scanReplacing(
            sub -> {
              Files.delete(sub.resolve("inside"));
              Files.delete(sub);
              Commands.run(List.of("mkfifo", sub.toString()));
            },
            events);

    assertThat(keys).contains("d1/sub/").doesNotContain("d1/sub/inside");
    assertThat(events.warnings).containsEntry("d1/sub/", "vanished while being listed");
    assertThat(events.errors).isEmpty();
  }

  @Test
  void aDirectoryReplacedByAFileDuringTheScanIsReportedAsVanished() throws IOException {
    Recorded events = new Recorded();

    List<String> keys =
        scanReplacing(
            sub -> {
              Files.delete(sub.resolve("inside"));
              Files.delete(sub);
              Files.writeString(sub, "a file now");
            },
            events);

    assertThat(keys).contains("d1/sub/").doesNotContain("d1/sub/inside");
    assertThat(events.warnings).containsEntry("d1/sub/", "vanished while being listed");
    assertThat(events.errors).isEmpty();
  }
}
