package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.fs.FileTrees;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.S3TestEndpoint;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of the target swapped for a symlink to an outside directory while a run works in it
 * (rsync's CVE-2024-12087/12088 class): nothing outside the target may change, whatever the moment
 * of the swap: before the directory is created, between a write and its rename, while attributes
 * are set, during deletions.
 */
class SymlinkRaceTest {

  private static final int FILES = 150;
  private static final long OLD = 1_500_000_000_000_000_000L;
  private static final long NEW = 1_600_000_000_000_000_000L;

  @TempDir Path dir;
  private Path source;
  private Path target;
  private Path outside;

  @BeforeEach
  void trees() throws IOException {
    source = Files.createDirectories(dir.resolve("source"));
    target = dir.resolve("target");
    outside = Files.createDirectories(dir.resolve("outside"));
    for (int i = 0; i < FILES; i++) {
      TrickyTree.file(source, "a/f" + i, "source " + i, 0644, NEW + i);
      TrickyTree.file(source, "a/b/g" + i, "source " + i, 0644, NEW + i);
      // What an attacker wants overwritten: same names, where the symlink points.
      TrickyTree.file(outside, "f" + i, "outside " + i, 0600, OLD + i);
      TrickyTree.file(outside, "b/g" + i, "outside " + i, 0600, OLD + i);
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("REPLICATE_SOURCE", source.toString());
    env.put("REPLICATE_TARGET", target.toString());
    env.put("MAX_DELETE", "100%");
    env.put("TERMINATION_LOG_PATH", dir.resolve("termination").toString());
    return env;
  }

  @Test
  void aSymlinkInPlaceOfATargetDirectoryBeforeTheRunIsReplacedNotFollowed() throws Exception {
    Files.createDirectories(target);
    Files.createSymbolicLink(target.resolve("a"), outside);
    TreeSnapshot before = TreeSnapshot.of(outside);

    Run run = Run.of(dir, env());

    assertThat(run.exitCode()).isZero();
    assertThat(TreeSnapshot.of(outside).differences(before)).isEmpty();
    assertThat(TreeSnapshot.of(target).differences(TreeSnapshot.of(source))).isEmpty();
  }

  @Test
  void nothingOutsideTheTargetChangesWhileADirectoryIsSwappedDuringAFirstCopy() throws Exception {
    // The swaps land before mkdir of a/b, between writes and renames, and while attributes are
    // set on the new files and, at the end, on the directories.
    for (int round = 0; round < 3; round++) {
      deleteTree(target);
      Files.createDirectories(target.resolve("a"));
      underSwaps(() -> Run.of(dir, env()));
    }
  }

  @Test
  void nothingOutsideTheTargetChangesWhileADirectoryIsSwappedDuringAttributeUpdates()
      throws Exception {
    for (int round = 0; round < 3; round++) {
      deleteTree(target);
      assertThat(Run.of(dir, env()).exitCode()).isZero();
      for (int i = 0; i < FILES; i++) {
        // Same data, new mode and time: only attributes are set on the target.
        Files.setAttribute(source.resolve("a/f" + i), "unix:mode", 0640);
        TrickyTree.times(source.resolve("a/b/g" + i), NEW + 1000 + i);
      }
      underSwaps(() -> Run.of(dir, env()));
      for (int i = 0; i < FILES; i++) {
        Files.setAttribute(source.resolve("a/f" + i), "unix:mode", 0644);
        TrickyTree.times(source.resolve("a/b/g" + i), NEW + i);
      }
    }
  }

  @Test
  void nothingOutsideTheTargetChangesWhileADirectoryIsSwappedDuringDeletions() throws Exception {
    for (int round = 0; round < 3; round++) {
      deleteTree(target);
      assertThat(Run.of(dir, env()).exitCode()).isZero();
      for (int i = 0; i < FILES; i++) {
        TrickyTree.file(target, "a/x" + i, "extra " + i, 0644, NEW);
        TrickyTree.file(target, "a/b/y" + i, "extra " + i, 0644, NEW);
        // the outside directory has the same names: they must survive the deletions
        TrickyTree.file(outside, "x" + i, "outside " + i, 0600, OLD);
        TrickyTree.file(outside, "b/y" + i, "outside " + i, 0600, OLD);
      }
      underSwaps(() -> Run.of(dir, env()));
    }
  }

  @Test
  void nothingOutsideTheTargetChangesWhileADirectoryIsSwappedDuringARestoreFromS3(TestInfo test)
      throws Exception {
    try (S3TestEndpoint s3 = new S3TestEndpoint()) {
      String media = "s3://" + s3.newBucket("race-", test) + "/media";
      Map<String, String> upload = env();
      upload.putAll(s3.server().agentEnvironment());
      upload.put("REPLICATE_TARGET", media);
      assertThat(Run.of(dir, upload).exitCode()).isZero();
      Map<String, String> restore = env();
      restore.putAll(s3.server().agentEnvironment());
      restore.put("REPLICATE_SOURCE", media);
      for (int round = 0; round < 3; round++) {
        deleteTree(target);
        Files.createDirectories(target.resolve("a"));
        underSwaps(() -> Run.of(dir, restore));
      }
    }
  }

  /**
   * Runs {@code run} while another thread keeps moving target/a (then target/a/b) aside and putting
   * a symlink to the outside directory in its place, then checks that outside is untouched and that
   * the next undisturbed run makes the target a faithful copy again.
   */
  private void underSwaps(java.util.function.Supplier<Run> run) throws Exception {
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);
    List<String> topLevelBefore = topLevel();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger swaps = new AtomicInteger();
    Thread swapper =
        Thread.ofPlatform()
            .start(
                () -> {
                  int n = 0;
                  while (!stop.get()) {
                    String name = n % 2 == 0 ? "a" : "a/b";
                    Path real = target.resolve(name);
                    Path aside = real.resolveSibling(".swapped-" + n++);
                    try {
                      Files.move(real, aside);
                      Files.createSymbolicLink(
                          real, name.equals("a") ? outside : outside.resolve("b"));
                      swaps.incrementAndGet();
                      Thread.onSpinWait();
                      Files.delete(real);
                      Files.move(aside, real);
                    } catch (IOException e) {
                      // not there (yet), or removed by the run: try again
                    }
                  }
                });
    try {
      Run unused = run.get(); // under swaps the run may fail: what it must not do is checked below
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertThat(swaps.get()).as("the swapper never swapped").isPositive();
    assertThat(TreeSnapshot.of(outside).differences(outsideBefore)).isEmpty();
    assertThat(topLevel()).isEqualTo(topLevelBefore);

    removeSwapLeftovers(target);
    Run repair = Run.of(dir, env());
    assertThat(repair.exitCode()).isZero();
    assertThat(TreeSnapshot.of(target).differences(TreeSnapshot.of(source))).isEmpty();
  }

  private List<String> topLevel() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("termination"))
          .sorted()
          .toList();
    }
  }

  /** The swapper may stop between its two steps: put the real directories back. */
  private void removeSwapLeftovers(Path root) throws IOException {
    for (String name : List.of("a/b", "a")) {
      Path p = root.resolve(name);
      if (Files.isSymbolicLink(p)) {
        Files.delete(p);
      }
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (p.getFileName().toString().startsWith(".swapped-")
            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Path real = p.resolveSibling(p.getParent().equals(root) ? "a" : "b");
          if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(p, real);
          } else {
            deleteTree(p);
          }
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    FileTrees.delete(root);
  }
}
