package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modification times at the edges of what a directory copy keeps: before 1970 with a fraction of a
 * second (the system call wants whole seconds rounded down and a positive fraction), and after the
 * 64-bit nanoseconds around 1970 the replicator holds times in (up to 2262-04-11), which saturate
 * at that end (the scanner reports them: see DirectoryScannerMtimeRangeTest).
 */
class DirectoryMtimeRangeTest {

  /** 1960-06-15T12:00:00.25Z: the fraction counts forward from a whole second before it. */
  private static final Instant PRE_1970 = Instant.ofEpochSecond(-301_233_600L, 250_000_000);

  @TempDir Path dir;

  /** Sets a time the JDK cannot set (it would make it 1970-01-01), without following symlinks. */
  private static void touch(Path p, String epochSeconds) {
    Commands.run(List.of("touch", "-h", "-m", "-d", "@" + epochSeconds, p.toString()));
  }

  private static Instant mtime(Path p) throws IOException {
    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  private Run ours(Path source, Path target) {
    return Run.of(
        dir,
        Map.of(
            "REPLICATE_SOURCE", source.toString(),
            "REPLICATE_TARGET", target.toString(),
            "METRICS_TEXTFILE_PATH", dir.resolve("metrics.prom").toString()));
  }

  @Test
  void filesDirectoriesAndSymlinksFromBefore1970WithAFractionAreCopiedExactlyLikeRsyncDoes()
      throws IOException {
    assumeThat(Runtime.version().feature())
        .as("the foreign function API that calls utimensat for such times")
        .isGreaterThanOrEqualTo(22);
    Path source = dir.resolve("source");
    Files.createDirectories(source.resolve("1960/inner"));
    Files.writeString(source.resolve("1960/old.txt"), "old\n");
    Files.writeString(source.resolve("1960/inner/older.txt"), "older\n");
    Files.createSymbolicLink(source.resolve("1960/link"), Path.of("old.txt"));
    touch(source.resolve("1960/old.txt"), "-301233599.75");
    touch(source.resolve("1960/inner/older.txt"), "-0.000000001");
    touch(source.resolve("1960/link"), "-1.5");
    touch(source.resolve("1960/inner"), "-86400.999999999");
    touch(source.resolve("1960"), "-301233599.75");
    // rsync leaves a directory's time alone within the same second as its source's (see TrickyTree)
    touch(source, "1500000000");
    assertThat(mtime(source.resolve("1960/old.txt"))).isEqualTo(PRE_1970);
    Path byRsync = dir.resolve("by-rsync");
    Commands.run(
        List.of(RequiredTool.require("rsync").toString(), "-a", source + "/", byRsync.toString()));
    Path byUs = dir.resolve("by-us");

    Run first = ours(source, byUs);

    assertThat(first.exitCode()).as(first.termination()).isZero();
    assertThat(first.metric("volume_replicator_last_run_errors")).isZero();
    assertThat(mtime(byUs.resolve("1960/old.txt"))).isEqualTo(PRE_1970);
    assertThat(mtime(byUs.resolve("1960"))).isEqualTo(PRE_1970);
    assertThat(mtime(byUs.resolve("1960/inner/older.txt")))
        .isEqualTo(Instant.ofEpochSecond(-1, 999_999_999));
    assertThat(TreeSnapshot.of(byUs).differences(TreeSnapshot.of(byRsync))).isEmpty();

    Run second = ours(source, byUs);

    assertThat(second.exitCode()).as(second.termination()).isZero();
    assertThat(second.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(TreeSnapshot.of(byUs).differences(TreeSnapshot.of(byRsync))).isEmpty();
  }

  @Test
  void timesAfter2262SaturateAtTheEndOfTheKeptRangeAndTheNextRunLeavesThemAlone()
      throws IOException {
    Path source = dir.resolve("source");
    Files.createDirectories(source.resolve("far"));
    Files.writeString(source.resolve("far/future.txt"), "future\n");
    touch(source.resolve("far/future.txt"), "13569465535.5");
    touch(source.resolve("far"), "13569465535");
    touch(source, "1500000000");
    Instant future = Instant.parse("2399-12-31T23:58:55.5Z");
    assumeThat(mtime(source.resolve("far/future.txt")))
        .as("a file system that keeps times after 2262 (ext4, XFS, btrfs, tmpfs)")
        .isEqualTo(future);
    Path target = dir.resolve("target");

    Run first = ours(source, target);

    assertThat(first.exitCode()).as(first.termination()).isZero();
    Instant latest = Instant.parse("2262-04-11T23:47:16.854775807Z");
    assertThat(mtime(target.resolve("far/future.txt"))).isEqualTo(latest);
    assertThat(mtime(target.resolve("far"))).isEqualTo(latest);
    assertThat(mtime(target)).isEqualTo(Instant.ofEpochSecond(1_500_000_000L));

    Run second = ours(source, target);

    assertThat(second.exitCode()).as(second.termination()).isZero();
    assertThat(second.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(mtime(target.resolve("far/future.txt"))).isEqualTo(latest);
  }
}
