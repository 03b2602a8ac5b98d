package io.backupagents.replicator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmallConfigTest {

  @Test
  void deleteLimitIsACountOrAPercentageOfTheTarget() {
    assertThat(DeleteLimit.parse("50%").orElseThrow().allowed(1000)).isEqualTo(500);
    assertThat(DeleteLimit.parse("0.5%").orElseThrow().allowed(1000)).isEqualTo(5);
    assertThat(DeleteLimit.parse("100").orElseThrow().allowed(10)).isEqualTo(100);
    assertThat(DeleteLimit.parse("0").orElseThrow().allowed(10)).isZero();
    assertThat(DeleteLimit.parse("101%")).isEmpty();
    assertThat(DeleteLimit.parse("1.5")).isEmpty();
    assertThat(DeleteLimit.parse("-1")).isEmpty();
    assertThat(DeleteLimit.parse("50%").orElseThrow()).hasToString("50%");
  }

  @Test
  void shardsSplitPathsDeterministicallyAndCoverEachOnce() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      paths.add("dir" + (i % 97) + "/file-" + i + ".jpg");
    }
    Set<String> seen = new HashSet<>();
    int[] perShard = new int[4];
    for (String p : paths) {
      int owners = 0;
      for (int s = 0; s < 4; s++) {
        if (new Shard(s, 4).owns(p)) {
          owners++;
          perShard[s]++;
          seen.add(p);
        }
      }
      assertThat(owners).as(p).isEqualTo(1);
    }
    assertThat(seen).hasSize(paths.size());
    for (int n : perShard) {
      assertThat(n).isBetween(2350, 2650);
    }
    // Stable across processes and releases: changing the function would move paths between
    // shards of a running deployment.
    assertThat(Shard.hash("")).isEqualTo(0xefd01f60ba992926L);
    assertThat(Shard.hash("a")).isEqualTo(0x82a2a958a9bece5bL);
  }

  @Test
  void dayDirectoriesFollowTheUtcDate() {
    DayDirectory both = new DayDirectory(true, true);
    assertThat(both.forDate(LocalDate.of(2025, 3, 14))).isEqualTo("5-Friday");
    assertThat(both.forDate(LocalDate.of(2025, 3, 16))).isEqualTo("7-Sunday");
    assertThat(both.forDate(LocalDate.of(2025, 3, 17))).isEqualTo("1-Monday");
    assertThat(both.forDate(LocalDate.of(2025, 3, 1))).isEqualTo("First-Of-Month");
    assertThat(new DayDirectory(true, false).forDate(LocalDate.of(2025, 3, 1)))
        .isEqualTo("6-Saturday");
    assertThat(new DayDirectory(false, true).forDate(LocalDate.of(2025, 3, 2))).isEmpty();
    assertThat(DayDirectory.NONE.forDate(LocalDate.of(2025, 3, 1))).isEmpty();
  }

  @Test
  void rcloneRatesUseKibibytesByDefault() {
    List<String> problems = new ArrayList<>();
    assertThat(RcloneExtraOptions.rate("512", problems)).hasValue(512L << 10);
    assertThat(RcloneExtraOptions.rate("1.5M", problems)).hasValue(3L << 19);
    assertThat(RcloneExtraOptions.rate("off", problems)).isEmpty();
    assertThat(problems).isEmpty();
    RcloneExtraOptions.rate("08:00,512k", problems);
    assertThat(problems).hasSize(1);
  }

  @Test
  void patternsMatchNamesAtAnyDepthOrWholePathsFromTheRoot() {
    List<String> bad = new ArrayList<>();
    PathFilter f =
        PathFilter.of(
            List.of(), List.of("*.tmp", "/top/only", "thumbs/", "a/**/z", "[!x]y.log"), bad);
    assertThat(bad).isEmpty();
    assertThat(f.excludes("deep/er/file.tmp", false)).isTrue();
    assertThat(f.excludes("file.tmpx", false)).isFalse();
    assertThat(f.excludes("top/only", false)).isTrue();
    assertThat(f.excludes("x/top/only", false)).isFalse();
    assertThat(f.excludes("media/thumbs", true)).isTrue();
    assertThat(f.excludes("media/thumbs", false)).isFalse();
    assertThat(f.excludes("a/b/c/z", false)).isTrue();
    assertThat(f.excludes("ay.log", false)).isTrue();
    assertThat(f.excludes("xy.log", false)).isFalse();
    assertThat(f.excludes("lost+found", true)).isTrue();
    assertThat(f.excludesAncestor("media/thumbs/1.jpg")).isTrue();
    assertThat(f.excludesAncestor("media/photos/1.jpg")).isFalse();
  }

  @Test
  void includesRestrictFilesButNotDirectories() {
    PathFilter f = PathFilter.of(List.of("*.jpg"), List.of("private/"), new ArrayList<>());
    assertThat(f.excludes("a/b.jpg", false)).isFalse();
    assertThat(f.excludes("a/b.png", false)).isTrue();
    assertThat(f.excludes("a", true)).isFalse();
    assertThat(f.excludes("private", true)).isTrue();
  }
}
