package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.replicator.config.ReplicatorSettings.Fsync;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.testing.Commands;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file replaced by a FIFO after the listing and before the run reads it: opening a FIFO for
 * reading waits for a writer, possibly forever, so the run must see it for what it is at once, a
 * changed source, instead of hanging (and every later run with it, behind its lock).
 */
class FifoSwapTest {

  private static final long TIME = 1_600_000_000_000_000_000L;

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSourceFileReplacedByAFifoIsAChangedSourceNotAHang() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Commands.run(List.of("mkfifo", source.resolve("f").toString()));
    Entry listed = Entry.file("f", 8, TIME, 0644, 0, 0);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      // An S3 upload opens the file by path (withPath): it is never handed the FIFO's either.
      assertEveryReadIsAChangedSource(
          ds, listed, "was replaced by a directory, FIFO, socket or device");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTargetFileReplacedByAFifoFailsItsChecksumAtOnce() throws Exception {
    Path target = Files.createDirectories(dir.resolve("target"));
    Commands.run(List.of("mkfifo", target.resolve("f").toString()));
    Entry listed = Entry.file("f", 8, TIME, 0644, 0, 0);

    Attributes attributes = new Attributes(false, new RunStats(), Clock.systemUTC());

    try (DirectoryTarget dt = new DirectoryTarget(target, attributes, Fsync.NO, false)) {
      assertThatThrownBy(() -> dt.md5(listed)).hasMessageContaining("is no regular file");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSourceDirectoryReplacedByAFifoIsAChangedSourceNotAHang() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Commands.run(List.of("mkfifo", source.resolve("d").toString()));
    Entry listed = Entry.file("d/f", 8, TIME, 0644, 0, 0);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      assertThatThrownBy(() -> ds.md5(listed))
          .isInstanceOf(SourceChangedException.class)
          .hasMessageStartingWith("is in a directory that was replaced");
    }
  }

  @Test
  void aSourceFileWhoseDirectoryWasRemovedIsVanishedNotAnError() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Entry listed = Entry.file("gone/f", 8, TIME, 0644, 0, 0);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      assertEveryReadIsAChangedSource(ds, listed, "vanished before it could be copied");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theUploadPathReachesTheFileOpenedEvenWhenItsNameIsReplacedMeanwhile() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.writeString(source.resolve("f"), "original");
    Entry listed = Entry.file("f", 8, TIME, 0644, 0, 0);

    try (DirectorySource ds = new DirectorySource(source, null)) {
      String read =
          ds.withPath(
              listed,
              path -> {
                Files.delete(source.resolve("f"));
                Commands.run(List.of("mkfifo", source.resolve("f").toString()));
                return Files.readString(path);
              });

      assertThat(read).isEqualTo("original");
    }
  }

  /** Copying, checksumming and uploading {@code listed} each fail as a change of the source. */
  private void assertEveryReadIsAChangedSource(DirectorySource ds, Entry listed, String message)
      throws Exception {
    try (FileChannel out =
        FileChannel.open(
            dir.resolve("copy"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      assertThatThrownBy(() -> ds.copyTo(listed, out))
          .isInstanceOf(SourceChangedException.class)
          .hasMessage(message);
    }
    assertThatThrownBy(() -> ds.md5(listed))
        .isInstanceOf(SourceChangedException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> ds.withPath(listed, Files::readString))
        .isInstanceOf(SourceChangedException.class)
        .hasMessage(message);
  }
}
