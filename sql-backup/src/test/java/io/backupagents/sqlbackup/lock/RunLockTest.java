package io.backupagents.sqlbackup.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.SqlBackupMain;
import io.backupagents.sqlbackup.testing.AgentRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock on the backup root between the tier CronJobs, across real processes. */
class RunLockTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC);
  private static final String HOURLY = "backup-2025-09-10T00:51:00Z-dumpall.sql.gz";

  @TempDir Path work;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
    Path hourly = Files.createDirectories(root.resolve("hourly"));
    Files.writeString(hourly.resolve(HOURLY), "an earlier backup");
  }

  @Test
  void aRunInAnotherProcessWaitsThenExitsLockedAndChangesNothing() throws Exception {
    LockOwner hourlyRun =
        LockOwner.of("pod-hourly-1", "hourly", Instant.parse("2025-09-11T00:19:00Z"));
    RunLock held =
        FileRunLock.acquire(
            root,
            hourlyRun,
            new LockSettings(Duration.ZERO, Duration.ofHours(1)),
            CLOCK,
            Sleeper.REAL);
    try {
      Path termination = work.resolve("termination-log");
      ProcessBuilder daily =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SqlBackupMain.class.getName(),
                  "backup")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("daily.log").toFile());
      daily.environment().clear();
      daily
          .environment()
          .putAll(
              Map.of(
                  "PATH", System.getenv("PATH"),
                  "BACKUP_TYPE", "daily",
                  "BACKUP_ROOT_DIR", root.toString(),
                  "BACKUP_LOCK_WAIT", "2s",
                  "TERMINATION_LOG_PATH", termination.toString()));
      long start = System.nanoTime();
      Process p = daily.start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(Files.readString(work.resolve("daily.log"))).isEqualTo(11);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
      assertThat(Files.readString(termination))
          .isEqualTo(
              "FAILURE (11: the backup root "
                  + root
                  + " is locked by the hourly run on pod-hourly-1 (pid "
                  + ProcessHandle.current().pid()
                  + ") started 2025-09-11T00:19:00Z; waited PT2S (BACKUP_LOCK_WAIT))");
      assertThat(root.resolve("daily")).doesNotExist();
      assertThat(root.resolve("hourly/" + HOURLY)).hasContent("an earlier backup");
    } finally {
      held.close();
    }

    AgentRun.Result after =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "daily")
            .clock(CLOCK)
            .run();
    assertThat(after.exitCode()).as(after.termination()).isZero();
    assertThat(root.resolve("daily/" + HOURLY)).hasContent("an earlier backup");
  }

  @Test
  void aLockLeftByADeadRunIsTakenOverAndReleasedEmpty() throws IOException {
    Path lock = root.resolve(FileRunLock.FILE_NAME);
    Files.writeString(
        lock,
        LockOwner.of("pod-gone", "hourly", Instant.parse("2025-09-10T23:51:00Z")).format(),
        StandardCharsets.UTF_8);

    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "daily")
            .env("BACKUP_LOCK_WAIT", "0s")
            .clock(CLOCK)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isZero();
    assertThat(root.resolve("daily/" + HOURLY)).exists();
    assertThat(lock).isEmptyFile();
  }

  @Test
  void ownerLineRoundTrips() {
    LockOwner owner = LockOwner.of("pod-a", "weekly", Instant.parse("2025-09-14T00:31:00Z"));
    assertThat(LockOwner.parse(owner.format())).contains(owner);
    assertThat(LockOwner.parse("")).isEmpty();
    assertThat(List.of(owner.describe()))
        .containsExactly(
            "the weekly run on pod-a (pid "
                + ProcessHandle.current().pid()
                + ") started 2025-09-14T00:31:00Z");
  }
}
