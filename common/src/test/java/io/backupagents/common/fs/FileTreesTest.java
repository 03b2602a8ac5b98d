package io.backupagents.common.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir Path dir;

  @Test
  void deletesANestedTreeButNotWhatItsSymbolicLinksPointAt() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep", StandardCharsets.UTF_8);
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file.txt"), "x", StandardCharsets.UTF_8);
    Files.createSymbolicLink(dir.resolve("tree/a/link-to-dir"), outside);
    Files.createSymbolicLink(dir.resolve("tree/link-to-file"), outside.resolve("keep.txt"));
    Files.createSymbolicLink(dir.resolve("tree/dangling"), dir.resolve("nowhere"));

    FileTrees.delete(dir.resolve("tree"));

    assertThat(dir.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("keep");
  }

  @Test
  void aSymbolicLinkGivenAsTheTreeIsDeletedNotFollowed() throws IOException {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("keep.txt"), "keep", StandardCharsets.UTF_8);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    FileTrees.delete(link);

    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(target.resolve("keep.txt")).hasContent("keep");
  }

  @Test
  void aPathThatIsNotThereIsNothingToDelete() throws IOException {
    FileTrees.delete(dir.resolve("missing"));
    assertThat(FileTrees.deleteTree(dir.resolve("missing"))).isTrue();
  }

  @Test
  void aSingleFileIsDeletedToo() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);

    assertThat(FileTrees.deleteTree(file)).isTrue();
    assertThat(file).doesNotExist();
  }
}
