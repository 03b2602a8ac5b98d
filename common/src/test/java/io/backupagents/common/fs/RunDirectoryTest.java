package io.backupagents.common.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path parent;

  @Test
  void aLocklessDirectoryIsRemovedOnlyOnceOlderThanTheGraceByTheGivenClock() throws IOException {
    Path lockless = Files.createDirectories(parent.resolve("run-old/sub"));
    Files.setLastModifiedTime(parent.resolve("run-old"), FileTime.from(T0));

    assertThat(RunDirectory.removeAbandoned(parent, "run-", Duration.ofMinutes(1), at(T0)))
        .isEmpty();
    assertThat(lockless).exists();

    assertThat(
            RunDirectory.removeAbandoned(
                parent, "run-", Duration.ofMinutes(1), at(T0.plusSeconds(61))))
        .containsExactly(parent.resolve("run-old"));
    assertThat(parent.resolve("run-old")).doesNotExist();
  }

  @Test
  void aLiveRunsDirectoryIsKeptAndClosingDeletesIt() throws IOException {
    Path path;
    try (RunDirectory live = RunDirectory.create(parent, "run-")) {
      path = live.path();
      Files.writeString(path.resolve("secret"), "x");
      assertThat(RunDirectory.removeAbandoned(parent, "run-", Duration.ZERO, at(T0))).isEmpty();
      assertThat(path.resolve("secret")).exists();
    }
    assertThat(path).doesNotExist();
  }

  private static Clock at(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }
}
