package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.replicator.testing.AgentProcess;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.TmpfsVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against real directories: interruptions, files changing underneath, dry runs, checksums. */
class DirectoryRunTest {

  @TempDir Path dir;
  private Path source;
  private Path target;

  @BeforeEach
  void trees() throws IOException {
    source = Files.createDirectories(dir.resolve("source"));
    target = dir.resolve("target");
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("REPLICATE_SOURCE", source.toString());
    env.put("REPLICATE_TARGET", target.toString());
    env.put("TERMINATION_LOG_PATH", dir.resolve("termination").toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private void bigFile(String name, int mib) throws IOException {
    byte[] data = new byte[mib << 20];
    new Random(mib).nextBytes(data);
    Files.write(source.resolve(name), data);
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> all = Files.walk(target)) {
      return all.filter(p -> p.getFileName().toString().startsWith(".vr-tmp-")).toList();
    }
  }

  private void awaitTemporaryFile() throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.isDirectory(target) || temporaryFiles().isEmpty()) {
      assertThat(System.nanoTime()).as("no copy started").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aKilledRunLeavesNoPartialFileUnderItsNameAndTheNextRunResumesCleanly() throws Exception {
    bigFile("big.bin", 48);
    for (int i = 0; i < 20; i++) {
      TrickyTree.file(source, "small/" + i, "small " + i, 0640, 1_600_000_000_000_000_000L + i);
    }
    AgentProcess killed =
        AgentProcess.start(
            env("REPLICATE_BWLIMIT", "8M", "REPLICATE_TRANSFERS", "1"), dir.resolve("killed.log"));
    awaitTemporaryFile();
    killed.kill();

    assertThat(Files.exists(target.resolve("big.bin"))).isFalse();
    List<Path> left = temporaryFiles();
    assertThat(left).isNotEmpty();

    // At once, the temporary file could be another live run's: it is kept (with a warning).
    Run soon = Run.of(dir, env(), Clock.systemUTC());
    assertThat(soon.exitCode()).as(soon.termination()).isZero();
    assertThat(temporaryFiles()).containsExactlyInAnyOrderElementsOf(left);
    assertThat(Files.size(target.resolve("big.bin"))).isEqualTo(48 << 20);

    // Once older than a live run's could be, it goes.
    Clock later = Clock.offset(Clock.systemUTC(), SyncRun.TEMP_GRACE.plusMinutes(1));
    Run resumed = Run.of(dir, env(), later);
    assertThat(resumed.exitCode()).isZero();
    assertThat(temporaryFiles()).isEmpty();
    assertThat(TreeSnapshot.of(target).differences(TreeSnapshot.of(source))).isEmpty();
  }

  @Test
  void filesThatVanishDuringTheRunAreCountedAndOnlyFailAStrictRun() throws Exception {
    for (String strict : List.of("no", "yes")) {
      bigFile("big.bin", 16);
      Files.writeString(source.resolve("z-small.txt"), "going away");
      deleteTree(target);
      CompletableFuture<Run> run =
          CompletableFuture.supplyAsync(
              () ->
                  Run.of(
                      dir,
                      env(
                          "REPLICATE_BWLIMIT", "8M",
                          "REPLICATE_TRANSFERS", "1",
                          "REPLICATE_STRICT_VANISHED", strict)));
      awaitTemporaryFile();
      Files.delete(source.resolve("z-small.txt"));
      Run done = run.get();

      assertThat(done.metric("volume_replicator_last_run_files_vanished")).isEqualTo(1);
      assertThat(Files.exists(target.resolve("z-small.txt"))).isFalse();
      assertThat(Files.size(target.resolve("big.bin"))).isEqualTo(16 << 20);
      if (strict.equals("yes")) {
        assertThat(done.exitCode()).isEqualTo(ExitCode.VANISHED.status());
        assertThat(done.termination())
            .isEqualTo("FAILURE (9: 1 source files vanished or changed while being copied)");
      } else {
        assertThat(done.exitCode()).isZero();
      }
    }
  }

  @Test
  void aRunWhoseSourceFilesVanishedSaysWhatWasNotCopiedInsteadOfInSync() throws Exception {
    bigFile("big.bin", 16);
    Files.writeString(source.resolve("z-small.txt"), "going away");
    Path log = dir.resolve("vanished.log");
    AgentProcess run =
        AgentProcess.start(env("REPLICATE_BWLIMIT", "8M", "REPLICATE_TRANSFERS", "1"), log);
    awaitTemporaryFile();
    Files.delete(source.resolve("z-small.txt"));

    assertThat(run.waitFor()).as(run.output()).isZero();
    assertThat(run.output())
        .doesNotContain("is in sync")
        .contains("Vanished or changed while copied: 1")
        .contains(
            target
                + " is NOT fully in sync with "
                + source
                + ": 1 files were copied, 1 vanished or changed while being copied and were not"
                + " copied (a run during which they do not change copies them)");
  }

  @Test
  void aSigtermEndsTheRunWith143AndTheTerminationMessageSaysSo() throws Exception {
    bigFile("big.bin", 16);
    AgentProcess run =
        AgentProcess.start(
            env("REPLICATE_BWLIMIT", "2M", "REPLICATE_TRANSFERS", "1"), dir.resolve("term.log"));
    awaitTemporaryFile();
    run.terminate();

    assertThat(run.waitFor()).as(run.output()).isEqualTo(143);
    assertThat(Files.readString(dir.resolve("termination")))
        .isEqualTo("FAILURE (143: terminated by SIGTERM before the run ended)");
    assertThat(temporaryFiles()).as("the partial copy is removed").isEmpty();
    assertThat(run.output()).contains("volume-replicator received SIGTERM: stopping");
  }

  @Test
  void aReadOnlyTargetVolumeStopsTheRunWithItsOwnCode() throws Exception {
    for (int i = 0; i < 10; i++) {
      TrickyTree.file(source, "d/f" + i, "data " + i, 0644, 1_600_000_000_000_000_000L);
    }
    try (TmpfsVolume volume = TmpfsVolume.mount(target, 1024)) {
      TrickyTree.file(target, "kept", "kept", 0644, 1_600_000_000_000_000_000L);
      volume.makeReadOnly();

      Run run = Run.of(dir, env());

      assertThat(run.exitCode()).as(run.termination()).isEqualTo(ExitCode.READ_ONLY.status());
      assertThat(run.termination())
          .startsWith("FAILURE (13: the target is on a read-only file system (while writing")
          .endsWith("mount it read-write; the run stopped there and deleted nothing)");
      assertThat(Files.readString(target.resolve("kept"))).isEqualTo("kept");
    }
  }

  @Test
  void aFullTargetStillMakesTheAllowedDeletionsSoTheNextRunHasRoom() throws Exception {
    // 3 old files fill most of the volume; the source replaced them with 3 new ones.
    try (TmpfsVolume volume = TmpfsVolume.mount(target, 4096)) {
      assertThat(volume.path()).isEqualTo(target);
      for (int i = 1; i <= 3; i++) {
        Files.write(target.resolve("old" + i), new byte[1 << 20]);
        bigFile("new" + i, 1);
      }
      Map<String, String> env = env("MAX_DELETE", "100%", "REPLICATE_TRANSFERS", "1");

      Run full = Run.of(dir, env);

      assertThat(full.exitCode()).as(full.termination()).isEqualTo(ExitCode.NO_SPACE.status());
      assertThat(full.termination()).startsWith("FAILURE (7: the target is full (while writing");
      assertThat(temporaryFiles()).isEmpty();
      try (Stream<Path> left = Files.list(target)) {
        assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("old"));
      }

      Run next = Run.of(dir, env);
      assertThat(next.exitCode()).as(next.termination()).isZero();
      assertThat(TreeSnapshot.of(target).differences(TreeSnapshot.of(source))).isEmpty();
    }
  }

  @Test
  void aDryRunPrintsThePlanAndChangesNothing() throws IOException {
    TrickyTree.file(source, "a.txt", "new", 0644, 1_600_000_000_000_000_000L);
    TrickyTree.file(source, "same.txt", "same", 0644, 1_600_000_000_000_000_000L);
    Files.createDirectories(target);
    TrickyTree.file(target, "same.txt", "same", 0644, 1_600_000_000_000_000_000L);
    TrickyTree.file(target, "old.txt", "old", 0644, 1_600_000_000_000_000_000L);
    TreeSnapshot before = TreeSnapshot.of(target);

    Path log = dir.resolve("dry.log");
    Path metrics = dir.resolve("metrics.prom");
    int code =
        AgentProcess.run(
            env(
                "REPLICATE_DRY_RUN",
                "yes",
                "MAX_DELETE",
                "100%",
                "METRICS_TEXTFILE_PATH",
                metrics.toString()),
            log);

    String out = Files.readString(log);
    assertThat(code).as(out).isZero();
    // A dry run never claims the target is in sync, and never refreshes the success times that
    // staleness alerts watch.
    assertThat(out)
        .doesNotContain("is in sync")
        .contains(
            "dry run: nothing was changed; a run would copy 1 files and delete 1 entries of "
                + target);
    assertThat(Files.readString(metrics))
        .contains("volume_replicator_last_run_success 1.0")
        .doesNotContain("last_success_timestamp");
    assertThat(out)
        .contains("would copy a.txt (3 B)")
        .contains("would delete old.txt")
        .contains("the deletion guard would allow the 1 deletions")
        .contains("summary (dry run: nothing was changed):")
        .contains("Number of regular files transferred: 0 (dry run: 1 would be)")
        .contains("Number of unchanged files: 1");
    assertThat(TreeSnapshot.of(target).differences(before)).isEmpty();
  }

  @Test
  void theSummaryAndPerFileLinesLookLikeRsyncs() throws IOException {
    TrickyTree.file(source, "a.txt", "new", 0644, 1_600_000_000_000_000_000L);
    Path log = dir.resolve("run.log");
    int code = AgentProcess.run(env("REPLICATE_QUIETLY", "false"), log);
    String out = Files.readString(log);
    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("copied a.txt")
        .contains("Number of files: 1 (reg: 1, dir: 0, link: 0, special: 0)")
        .contains("Number of regular files transferred: 1")
        .contains("Total transferred file size: 3 B")
        .contains("is in sync with " + source);
  }

  @Test
  void checksumModeFindsChangesThatSizeAndTimeHide() throws IOException {
    TrickyTree.file(source, "a.txt", "AAAA", 0644, 1_600_000_000_000_000_000L);
    Files.createDirectories(target);
    TrickyTree.file(target, "a.txt", "BBBB", 0644, 1_600_000_000_000_000_000L);

    assertThat(Run.of(dir, env()).exitCode()).isZero();
    assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("BBBB");
    Run checksum = Run.of(dir, env("REPLICATE_CHECKSUM", "yes"));
    assertThat(checksum.exitCode()).isZero();
    assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("AAAA");
    assertThat(checksum.metric("volume_replicator_last_run_files_copied")).isEqualTo(1);
  }

  @Test
  void aDirectoryInTheWayOfAFileStaysWhenDeletionsAreOff() throws IOException {
    TrickyTree.file(source, "x", "file now", 0644, 1_600_000_000_000_000_000L);
    Files.createDirectories(target.resolve("x"));
    Files.writeString(target.resolve("x/keep"), "keep");

    Run off = Run.of(dir, env("REPLICATE_DELETE", "no"));
    assertThat(off.exitCode()).isEqualTo(ExitCode.PARTIAL.status());
    assertThat(Files.readString(target.resolve("x/keep"))).isEqualTo("keep");

    Run on = Run.of(dir, env("MAX_DELETE", "100%"));
    assertThat(on.exitCode()).isZero();
    assertThat(Files.readString(target.resolve("x"))).isEqualTo("file now");
  }

  @Test
  void aTargetThatRefusesOwnersGetsTheDataAndACountedWarning() throws IOException {
    Path unshare = io.backupagents.testing.RequiredTool.require("unshare");
    TrickyTree.file(source, "owned", "data", 0640, 1_600_000_000_000_000_000L);
    Files.setAttribute(source.resolve("owned"), "unix:uid", 1234);
    Path log = dir.resolve("squashed.log");
    // In a user namespace that maps only root, chown to another id fails, as on root-squashed NFS.
    AgentProcess p =
        AgentProcess.start(List.of(unshare.toString(), "--user", "--map-root-user"), env(), log);
    int status = p.waitFor();
    String out = Files.readString(log);
    assertThat(status).as(out).isZero();
    assertThat(out)
        .contains("the target refused to change the owner of owned")
        .contains("Warnings: 1 (refused chown: 1)");
    assertThat(Files.readString(target.resolve("owned"))).isEqualTo("data");
    assertThat(Files.getPosixFilePermissions(target.resolve("owned")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
  }

  private static void deleteTree(Path root) throws IOException {
    FileTrees.delete(root);
  }
}
