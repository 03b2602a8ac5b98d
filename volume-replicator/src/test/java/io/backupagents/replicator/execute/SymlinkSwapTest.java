package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.testing.TrickyTree;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moment of a race, made deterministic: an entry swapped for a symlink after the listing and
 * before the run reads or changes it. Nothing outside the source may be read, nothing outside the
 * target changed.
 */
class SymlinkSwapTest {

  private static final long TIME = 1_600_000_000_000_000_000L;

  @TempDir Path dir;

  @Test
  void aSourceDirectorySwappedForASymlinkIsNotReadThrough() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    TrickyTree.file(source, "z/etc/passwd", "harmless", 0644, TIME);
    // Outside: a secret of the same size and time, where the symlink will lead.
    Path outside = Files.createDirectories(dir.resolve("outside"));
    TrickyTree.file(outside, "etc/passwd", "SECRET!!", 0644, TIME);
    Entry listed = Entry.file("z/etc/passwd", 8, TIME, 0644, 0, 0);
    Files.move(source.resolve("z"), dir.resolve("z.old"));
    Files.createSymbolicLink(source.resolve("z"), outside);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      Path copy = dir.resolve("copy");
      try (FileChannel out =
          FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        assertThatThrownBy(() -> ds.copyTo(listed, out)).isInstanceOf(SourceChangedException.class);
      }
      assertThat(Files.size(copy)).isZero();
      // An S3 upload opens the file by path: the path it gets cannot lead outside either.
      assertThatThrownBy(() -> ds.withPath(listed, Files::readString))
          .isInstanceOf(SourceChangedException.class);
      assertThatThrownBy(() -> ds.md5(listed)).isInstanceOf(SourceChangedException.class);
    }
  }

  @Test
  void aSourceFileSwappedForASymlinkIsNotReadThrough() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "SECRET!!");
    Files.createSymbolicLink(source.resolve("f"), secret);
    Entry listed = Entry.file("f", 8, TIME, 0644, 0, 0);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      assertThatThrownBy(() -> ds.withPath(listed, Files::readString))
          .isInstanceOf(SourceChangedException.class)
          .hasMessage("was replaced by a symlink");
      // A copy into a directory target: a change like any other, not an error of the run.
      try (FileChannel out =
          FileChannel.open(
              dir.resolve("copy"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        assertThatThrownBy(() -> ds.copyTo(listed, out))
            .isInstanceOf(SourceChangedException.class)
            .hasMessage("was replaced by a symlink");
      }
      assertThatThrownBy(() -> ds.md5(listed))
          .isInstanceOf(SourceChangedException.class)
          .hasMessage("was replaced by a symlink");
    }
  }

  @Test
  void aTargetEntrySwappedForASymlinkDoesNotHaveItsModeSetThrough() throws Exception {
    Path victim = dir.resolve("victim");
    Files.writeString(victim, "v");
    Files.setAttribute(victim, "unix:mode", 0600);
    Path target = Files.createDirectories(dir.resolve("target"));
    Path entry = target.resolve("f");
    Files.createSymbolicLink(entry, victim);
    Entry source = Entry.file("f", 1, TIME, 0777, 0, 0);
    Attributes attributes = new Attributes(false, new RunStats(), Clock.systemUTC());

    assertThatThrownBy(() -> attributes.apply(entry, source, null, true))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("is a symlink now: its mode is not changed through it");
    assertThat(Files.getAttribute(victim, "unix:mode")).isEqualTo(0100600);

    // A regular file there gets its mode, as before.
    Files.delete(entry);
    Files.writeString(entry, "x");
    attributes.apply(entry, source, null, true);
    assertThat((int) Files.getAttribute(entry, "unix:mode") & 07777).isEqualTo(0777);
  }
}
