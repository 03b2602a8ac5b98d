package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guards that stand between a lost source volume and the only copy. */
class DeletionGuardTest {

  @TempDir Path dir;
  private Path source;
  private Path target;

  @BeforeEach
  void trees() throws IOException {
    source = Files.createDirectories(dir.resolve("source"));
    target = Files.createDirectories(dir.resolve("target"));
    for (int i = 0; i < 10; i++) {
      TrickyTree.file(target, "d/f" + i, "data " + i, 0644, 1_600_000_000_000_000_000L);
    }
  }

  private Run run(String... env) {
    Map<String, String> all = new HashMap<>();
    all.put("REPLICATE_SOURCE", source.toString());
    all.put("REPLICATE_TARGET", target.toString());
    for (int i = 0; i < env.length; i += 2) {
      all.put(env[i], env[i + 1]);
    }
    return Run.of(dir, all);
  }

  @Test
  void aSymlinkWhereTheSourceHasADirectoryIsADeletionTheGuardWeighs() throws IOException {
    TrickyTree.file(source, "keep", "k", 0644, 1_600_000_000_000_000_000L);
    TrickyTree.file(source, "e/a", "a", 0644, 1_600_000_000_000_000_000L);
    Files.createSymbolicLink(target.resolve("e"), Path.of("elsewhere"));

    Run refused = run("MAX_DELETE", "5");

    assertThat(refused.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(refused.termination()).contains("the run would delete 11 of the target's 11 files");
    assertThat(Files.isSymbolicLink(target.resolve("e"))).as("kept by the refused run").isTrue();

    Run allowed = run("MAX_DELETE", "100%");
    assertThat(allowed.exitCode()).as(allowed.termination()).isZero();
    assertThat(Files.readString(target.resolve("e/a"))).isEqualTo("a");
  }

  @Test
  void aRunRefusedForTooManyDeletionsStillSetsTheDirectoriesAttributes() throws IOException {
    // rsync --max-delete sets them too: a private directory must not stay open meanwhile.
    TrickyTree.file(source, "private/a", "a", 0644, 1_600_000_000_000_000_000L);
    Files.setAttribute(source.resolve("private"), "unix:mode", 0700);
    TrickyTree.times(source.resolve("private"), 1_500_000_000_000_000_000L);

    Run refused = run("MAX_DELETE", "5");

    assertThat(refused.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat((int) Files.getAttribute(target.resolve("private"), "unix:mode") & 07777)
        .isEqualTo(0700);
    assertThat(Files.getLastModifiedTime(target.resolve("private")).toMillis())
        .isEqualTo(1_500_000_000_000L);
  }

  @Test
  void aTargetWhoseParentIsMissingIsNotFoundNotABug() {
    Map<String, String> env = new HashMap<>();
    env.put("REPLICATE_SOURCE", source.toString());
    env.put("REPLICATE_TARGET", dir.resolve("not-mounted/media").toString());
    Run run = Run.of(dir, env);
    assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.status());
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (5: the target's parent directory "
                + dir.resolve("not-mounted")
                + " does not exist: only the target directory itself is created (is the volume"
                + " mounted?))");
  }

  @Test
  void anEmptySourceDeletesNothingAndSaysSo() {
    TreeSnapshot before = TreeSnapshot.of(target);
    Run run = run("MAX_DELETE", "100%");
    assertThat(run.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (10: the source is empty, so the target's 10 files were not deleted (is the"
                + " volume mounted?))");
    assertThat(TreeSnapshot.of(target).differences(before)).isEmpty();
    assertThat(run.metric("volume_replicator_last_run_deletions_refused")).isEqualTo(1);
    assertThat(run.metric("volume_replicator_last_run_deletions_planned")).isEqualTo(10);
  }

  @Test
  void filesTheSourceNowHasAsSymlinksOrDirectoriesAreDeletionsTheGuardWeighs() throws IOException {
    // The source holds what the target has as files, but as symlinks and directories.
    for (int i = 0; i < 5; i++) {
      Files.createDirectories(source.resolve("d"));
      Files.createSymbolicLink(source.resolve("d/f" + i), Path.of("/nowhere/f" + i));
      Files.createDirectories(source.resolve("d/f" + (i + 5)));
      Files.writeString(source.resolve("d/f" + (i + 5) + "/inside"), "new " + i);
    }
    // Directory times are set even by a refused run (as rsync sets them): compared without.
    TreeSnapshot before = TreeSnapshot.of(target, false);

    Run refused = run("MAX_DELETE", "5");

    assertThat(refused.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(refused.termination())
        .contains("the run would delete 10 of the target's 10 files, more than MAX_DELETE=5");
    for (int i = 0; i < 10; i++) {
      assertThat(Files.readString(target.resolve("d/f" + i))).isEqualTo("data " + i);
    }
    assertThat(TreeSnapshot.of(target, false).differences(before)).isEmpty();

    Run allowed = run("MAX_DELETE", "100%");

    assertThat(allowed.exitCode()).as(allowed.termination()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(Files.readSymbolicLink(target.resolve("d/f" + i)))
          .isEqualTo(Path.of("/nowhere/f" + i));
      assertThat(Files.readString(target.resolve("d/f" + (i + 5) + "/inside")))
          .isEqualTo("new " + i);
    }
    assertThat(allowed.metric("volume_replicator_last_run_deletions_planned")).isEqualTo(10);
  }

  @Test
  void withoutDeletionsAFileTheSourceNowHasAsADirectoryIsKeptWithItsAttributes()
      throws IOException {
    Files.createDirectories(source.resolve("d/f0"));
    Files.writeString(source.resolve("d/f0/inside"), "new");
    Files.setPosixFilePermissions(
        source.resolve("d/f0"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
    Files.createSymbolicLink(source.resolve("d/f1"), Path.of("/nowhere"));

    Run run = run("REPLICATE_DELETE", "no");

    assertThat(run.exitCode()).as(run.termination()).isZero();
    for (String kept : List.of("d/f0", "d/f1")) {
      Path file = target.resolve(kept);
      assertThat(Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
      assertThat(Files.readString(file)).isEqualTo("data " + kept.charAt(3));
      // Not given the source directory's mode at the end of the run.
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)))
          .isEqualTo("rw-r--r--");
    }
    assertThat(run.metric("volume_replicator_last_run_errors")).isZero();
  }

  @Test
  void aMissingSourceDeletesNothing() throws IOException {
    Files.delete(source);
    TreeSnapshot before = TreeSnapshot.of(target);
    Run run = run();
    assertThat(run.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(run.termination()).contains("the source does not exist");
    assertThat(TreeSnapshot.of(target).differences(before)).isEmpty();

    Path emptyTarget = Files.createDirectories(dir.resolve("empty-target"));
    Run nothingToLose =
        Run.of(
            dir,
            Map.of(
                "REPLICATE_SOURCE", source.toString(),
                "REPLICATE_TARGET", emptyTarget.toString()));
    assertThat(nothingToLose.exitCode()).isEqualTo(ExitCode.NOT_FOUND.status());
    assertThat(nothingToLose.termination())
        .isEqualTo(
            "FAILURE (5: the source " + source + " does not exist (is the volume mounted?))");
  }

  @Test
  void moreDeletionsThanMaxDeleteAllowsAreAllRefused() throws IOException {
    for (int i = 0; i < 4; i++) {
      TrickyTree.file(source, "d/f" + i, "data " + i, 0644, 1_600_000_000_000_000_000L);
    }
    TrickyTree.file(source, "new", "new", 0644, 1_600_000_000_000_000_000L);
    TreeSnapshot before = TreeSnapshot.of(target, false);

    Run refused = run();
    assertThat(refused.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(refused.termination())
        .isEqualTo(
            "FAILURE (10: the run would delete 6 of the target's 10 files, more than"
                + " MAX_DELETE=50% allows (5): nothing was deleted)");
    assertThat(TreeSnapshot.of(target, false).without(".", "new").differences(before.without(".")))
        .isEmpty();
    assertThat(Files.readString(target.resolve("new"))).as("copies still happen").isEqualTo("new");

    Run counted = run("MAX_DELETE", "5");
    assertThat(counted.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());

    Run allowed = run("MAX_DELETE", "6");
    assertThat(allowed.exitCode()).isZero();
    try (var files = Files.list(target.resolve("d"))) {
      assertThat(files.toList()).hasSize(4);
    }
  }

  @Test
  void withDeletionOffNothingIsEverDeleted() throws IOException {
    TrickyTree.file(source, "d/f0", "data 0", 0644, 1_600_000_000_000_000_000L);
    Run run = run("REPLICATE_DELETE", "no");
    assertThat(run.exitCode()).isZero();
    try (var files = Files.list(target.resolve("d"))) {
      assertThat(files.toList()).hasSize(10);
    }
  }

  @Test
  void anUnreadableSourceEntryCancelsTheDeletions() throws IOException {
    for (int i = 0; i < 9; i++) {
      TrickyTree.file(source, "d/f" + i, "data " + i, 0644, 1_600_000_000_000_000_000L);
    }
    // A name that is not UTF-8 cannot be copied: it would look extraneous in the target.
    Commands.run(List.of("sh", "-c", "touch \"$(printf '" + source + "/d/\\377')\""));
    Run run = run();
    assertThat(run.exitCode()).isEqualTo(ExitCode.PARTIAL.status());
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (8: 1 entries could not be copied, read or deleted (see the log); the run's"
                + " deletions were skipped)");
    assertThat(Files.exists(target.resolve("d/f9"))).isTrue();
    assertThat(run.metric("volume_replicator_last_run_errors")).isEqualTo(1);
  }
}
