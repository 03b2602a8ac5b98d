package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.replicator.testing.AgentProcess;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards run as separate processes at the same time, as an Indexed Job's pods do: together they
 * copy and delete exactly what one full run does, each path by exactly one shard.
 */
class ShardingTest {

  private static final int SHARDS = 3;

  @TempDir Path dir;

  private static void target(Path target) throws IOException {
    for (int i = 0; i < 30; i++) {
      TrickyTree.file(
          target, "d" + (i % 4) + "/stale" + i, "stale", 0644, 1_500_000_000_000_000_000L);
    }
    TrickyTree.file(target, "gone/deep/er/file", "x", 0644, 1_500_000_000_000_000_000L);
    TrickyTree.file(target, "d1/f7", "old content", 0644, 1_500_000_000_000_000_000L);
  }

  @Test
  void shardsTogetherMakeExactlyOneFullRun() throws Exception {
    Path source = dir.resolve("source");
    for (int i = 0; i < 240; i++) {
      TrickyTree.file(
          source, "d" + (i % 6) + "/f" + i, "file " + i, 0640, 1_600_000_000_000_000_000L + i);
    }
    Files.createDirectories(source.resolve("empty"));
    TrickyTree.directoryTimes(source);
    Path sharded = dir.resolve("sharded");
    Path full = dir.resolve("full");
    target(sharded);
    target(full);

    List<AgentProcess> shards = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      shards.add(
          AgentProcess.start(
              Map.of(
                  "REPLICATE_SOURCE", source.toString(),
                  "REPLICATE_TARGET", sharded.toString(),
                  "MAX_DELETE", "100%",
                  "SHARD_COUNT", Integer.toString(SHARDS),
                  "JOB_COMPLETION_INDEX", Integer.toString(i),
                  "TERMINATION_LOG_PATH", dir.resolve("termination-" + i).toString(),
                  "METRICS_TEXTFILE_PATH", dir.resolve("metrics-" + i + ".prom").toString()),
              dir.resolve("shard-" + i + ".log")));
    }
    for (int i = 0; i < shards.size(); i++) {
      AgentProcess p = shards.get(i);
      assertThat(p.waitFor()).as(p.output()).isZero();
      // Each shard speaks for its own paths only.
      assertThat(p.output())
          .contains("shard " + (i + 1) + " of " + shards.size() + ": " + sharded)
          .contains("is in sync with " + source + ", for the paths of this shard");
    }
    Run one =
        Run.of(
            dir,
            Map.of(
                "REPLICATE_SOURCE", source.toString(),
                "REPLICATE_TARGET", full.toString(),
                "MAX_DELETE", "100%"));
    assertThat(one.exitCode()).isZero();

    assertThat(TreeSnapshot.of(sharded).differences(TreeSnapshot.of(full))).isEmpty();
    assertThat(TreeSnapshot.of(full).differences(TreeSnapshot.of(source))).isEmpty();
    double copied = 0;
    double deleted = 0;
    for (int i = 0; i < SHARDS; i++) {
      String metrics = Files.readString(dir.resolve("metrics-" + i + ".prom"));
      double mine = value(metrics, "volume_replicator_last_run_files_copied");
      assertThat(mine).as("shard %d copies a fair part", i).isBetween(40.0, 130.0);
      copied += mine;
      deleted += value(metrics, "volume_replicator_last_run_files_deleted");
    }
    assertThat(copied)
        .isEqualTo(one.metric("volume_replicator_last_run_files_copied"))
        .isEqualTo(240);
    assertThat(deleted)
        .isEqualTo(one.metric("volume_replicator_last_run_files_deleted"))
        .isEqualTo(31);
  }

  private static double value(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + metrics);
  }
}
