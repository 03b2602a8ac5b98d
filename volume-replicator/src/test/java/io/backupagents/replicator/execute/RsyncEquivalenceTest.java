package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tricky tree mirrored by us and by the real {@code rsync -a --delete} comes out the same,
 * metadata included, on a first copy and after changes of every kind. The one intended difference:
 * we skip special files (with a warning) where rsync -a recreates them.
 */
class RsyncEquivalenceTest {

  @TempDir Path dir;

  private void rsync(Path source, Path target) {
    Path rsync = RequiredTool.require("rsync");
    Commands.run(List.of(rsync.toString(), "-a", "--delete", source + "/", target.toString()));
  }

  private Run ours(Path source, Path target) {
    return Run.of(
        dir,
        Map.of(
            "REPLICATE_SOURCE", source.toString(),
            "REPLICATE_TARGET", target.toString(),
            "MAX_DELETE", "100%",
            "METRICS_TEXTFILE_PATH", dir.resolve("metrics.prom").toString()));
  }

  private static void assertSame(Path ours, Path rsync) {
    TreeSnapshot a = TreeSnapshot.of(ours);
    TreeSnapshot b = TreeSnapshot.of(rsync).without(TrickyTree.FIFO);
    assertThat(a.differences(b)).isEmpty();
    assertThat(a.entries()).hasSizeGreaterThan(25);
  }

  @Test
  void aFirstCopyEqualsRsyncsExceptForTheSkippedFifo() throws IOException {
    Path source = dir.resolve("source");
    TrickyTree.create(source);
    Path byRsync = dir.resolve("by-rsync");
    Path byUs = dir.resolve("by-us");
    rsync(source, byRsync);
    Run run = ours(source, byUs);

    assertThat(run.exitCode()).isZero();
    assertThat(run.termination()).isEqualTo("SUCCESS");
    assertSame(byUs, byRsync);
    assertThat(Files.exists(byRsync.resolve(TrickyTree.FIFO), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.exists(byUs.resolve(TrickyTree.FIFO), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readSymbolicLink(byUs.resolve("links/absolute-outside")))
        .isEqualTo(Path.of("/etc/passwd"));
    assertThat(Files.isSameFile(byUs.resolve("owned/hard-link"), byUs.resolve("plain.txt")))
        .as("rsync -a (without -H) copies hard links as separate files; so do we")
        .isFalse();
    assertThat(run.metric("volume_replicator_last_run_files_copied")).isEqualTo(15);
    assertThat(run.metric("volume_replicator_last_run_errors")).isZero();
  }

  @Test
  void everyKindOfChangeIsMirroredLikeRsyncDoes() throws IOException {
    Path source = dir.resolve("source");
    TrickyTree.create(source);
    Path byRsync = dir.resolve("by-rsync");
    Path byUs = dir.resolve("by-us");
    rsync(source, byRsync);
    assertThat(ours(source, byUs).exitCode()).isZero();

    TrickyTree.file(source, "plain.txt", "HELLO\n", 0644, 1_600_000_000_123_456_789L);
    TrickyTree.file(source, "bin/setuid-tool", "#!/bin/sh\n", 0755, 1_600_000_004_000_000_000L);
    Files.setAttribute(source.resolve("zero"), "unix:gid", 4242, LinkOption.NOFOLLOW_LINKS);
    Files.delete(source.resolve("big.bin"));
    Files.delete(source.resolve("links/relative"));
    Files.createSymbolicLink(source.resolve("links/relative"), Path.of("../zero"));
    Files.delete(source.resolve("-rf"));
    Files.createDirectories(source.resolve("-rf/now-a-directory"));
    TrickyTree.file(source, "-rf/now-a-directory/f", "f\n", 0644, 1_600_000_020_000_000_000L);
    Files.delete(source.resolve("日本語/写真 1.jpg"));
    Files.delete(source.resolve("日本語"));
    TrickyTree.file(source, "日本語", "now a file\n", 0644, 1_600_000_021_000_000_000L);
    Files.delete(source.resolve("empty/nested-empty"));
    TrickyTree.file(source, "new/deeper/new.txt", "new\n", 0640, 1_600_000_022_000_000_000L);
    TrickyTree.directoryTimes(source);

    rsync(source, byRsync);
    Run run = ours(source, byUs);

    assertThat(run.exitCode()).isZero();
    assertSame(byUs, byRsync);
    assertThat(Files.readString(byUs.resolve("plain.txt")))
        .as("same size and time: the quick check keeps the old data, as rsync does")
        .isEqualTo("hello\n");
    assertThat(run.metric("volume_replicator_last_run_files_deleted"))
        .as(
            "big.bin, 日本語/写真 1.jpg and the file -rf, replaced by a directory once the guard"
                + " allowed the deletions")
        .isEqualTo(3);
  }

  @Test
  void aSecondRunOverAnUnchangedTreeChangesNothing() throws IOException {
    Path source = dir.resolve("source");
    TrickyTree.create(source);
    Path byUs = dir.resolve("by-us");
    assertThat(ours(source, byUs).exitCode()).isZero();
    TreeSnapshot before = TreeSnapshot.of(byUs);
    Run again = ours(source, byUs);
    assertThat(again.exitCode()).isZero();
    assertThat(TreeSnapshot.of(byUs).differences(before)).isEmpty();
    assertThat(again.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(again.metric("volume_replicator_last_run_files_unchanged"))
        .as("15 files and 4 symlinks")
        .isEqualTo(19);
  }
}
