package io.backupagents.replicator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryScannerTest {

  private FileSystem fs;
  private Path root;

  @BeforeEach
  void tree() throws IOException {
    fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .build());
    root = Files.createDirectories(fs.getPath("/root"));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private List<String> keys(PathFilter filter, int parallelism) {
    List<String> keys = new ArrayList<>();
    try (Listing l = new DirectoryScanner(root, filter, parallelism, ScanEvents.IGNORE).open("t")) {
      l.forEachRemaining(e -> keys.add(e.key()));
    }
    return keys;
  }

  @Test
  void listsDepthFirstInKeyOrderWithDirectoriesAsNameSlash() throws IOException {
    for (String p : List.of("b/z", "b/a/deep", "a.txt", "a/x", "a-b", "c")) {
      Files.createDirectories(root.resolve(p).getParent());
      Files.writeString(root.resolve(p), p);
    }
    Files.createDirectories(root.resolve("empty"));
    assertThat(keys(PathFilter.defaults(), 3))
        .containsExactly(
            "", "a-b", "a.txt", "a/", "a/x", "b/", "b/a/", "b/a/deep", "b/z", "c", "empty/");
  }

  @Test
  void sortsLargeDirectoriesReadInParallelPieces() throws IOException {
    List<String> expected = new ArrayList<>();
    expected.add("");
    for (int i = 0; i < 5000; i++) {
      Files.writeString(root.resolve(String.format("f%05d", i)), "x");
      expected.add(String.format("f%05d", i));
    }
    assertThat(keys(PathFilter.defaults(), 4)).isEqualTo(expected);
  }

  @Test
  void leavesOutLostAndFoundAndExcludedSubtreesAndNeverFollowsSymlinks() throws IOException {
    Files.createDirectories(root.resolve("lost+found/x"));
    Files.createDirectories(root.resolve("cache/big"));
    Files.writeString(root.resolve("cache/big/f"), "x");
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/f"), "x");
    Files.createSymbolicLink(root.resolve("link"), fs.getPath("real"));
    List<String> bad = new ArrayList<>();
    assertThat(keys(PathFilter.of(List.of(), List.of("cache/"), bad), 2))
        .containsExactly("", "link", "real/", "real/f");
  }

  @Test
  void aMissingRootIsReportedAsSuchAndListsNothing() {
    root = fs.getPath("/nowhere");
    try (Listing l =
        new DirectoryScanner(root, PathFilter.defaults(), 2, ScanEvents.IGNORE).open("t")) {
      assertThat(l.hasNext()).isFalse();
      assertThat(l.rootMissing()).isTrue();
    }
  }

  @Test
  void entriesCarryTheirAttributes() throws IOException {
    Files.writeString(root.resolve("f"), "hello");
    Files.setPosixFilePermissions(
        root.resolve("f"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    Files.createSymbolicLink(root.resolve("l"), fs.getPath("f"));
    List<Entry> entries = new CopyOnWriteArrayList<>();
    try (Listing l =
        new DirectoryScanner(root, PathFilter.defaults(), 2, ScanEvents.IGNORE).open("t")) {
      l.forEachRemaining(entries::add);
    }
    Entry f = entries.get(1);
    assertThat(f.kind()).isEqualTo(Entry.Kind.FILE);
    assertThat(f.size()).isEqualTo(5);
    assertThat(f.mode()).isEqualTo(0640);
    assertThat(f.mtimeNanos())
        .isEqualTo(FileStats.nanos(Files.getLastModifiedTime(root.resolve("f"))));
    Entry l = entries.get(2);
    assertThat(l.kind()).isEqualTo(Entry.Kind.SYMLINK);
    assertThat(l.linkTarget()).isEqualTo("f");
  }
}
