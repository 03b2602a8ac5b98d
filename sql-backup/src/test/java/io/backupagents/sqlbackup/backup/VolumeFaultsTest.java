package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.TmpfsVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup volume that is read-only or full (real file systems, not simulations): each has its own
 * exit code and a one-line cause that names the path, and the earlier backup stays as it was.
 */
class VolumeFaultsTest {

  private static final Clock LATER =
      Clock.fixed(Instant.parse("2025-09-10T10:51:00Z"), ZoneOffset.UTC);
  private static final String EARLIER = "backup-2025-09-10T09:51:00Z-bank.sql.gz";

  @TempDir Path work;

  @Test
  void aReadOnlyBackupVolumeFailsWithItsOwnCodeNamingThePath() throws IOException {
    try (TmpfsVolume volume = TmpfsVolume.mount(work.resolve("backup"), 4096)) {
      Path root = volume.path();
      Files.createDirectories(root.resolve("hourly"));
      Files.writeString(root.resolve("hourly/" + EARLIER), "an earlier backup");
      volume.makeReadOnly();

      AgentRun.Result result = run(root);

      assertThat(result.exitCode()).as(result.termination()).isEqualTo(13);
      assertThat(result.termination())
          .isEqualTo(
              "FAILURE (13: "
                  + root
                  + " is on a read-only file system (writing "
                  + root.resolve(".sql-backup.lock")
                  + "): mount the volume read-write; nothing was changed)");
      assertThat(Files.readString(root.resolve("hourly/" + EARLIER)))
          .isEqualTo("an earlier backup");
    }
  }

  @Test
  void aFullBackupVolumeFailsWithNoSpaceNamingThePath() throws IOException {
    try (TmpfsVolume volume = TmpfsVolume.mount(work.resolve("backup"), 512)) {
      Path root = volume.path();
      Files.createDirectories(root.resolve("hourly"));
      Files.writeString(root.resolve("hourly/" + EARLIER), "an earlier backup");
      volume.fill("filler");

      AgentRun.Result result = run(root);

      assertThat(result.exitCode()).as(result.termination()).isEqualTo(7);
      assertThat(result.termination())
          .isEqualTo(
              "FAILURE (7: the file system of "
                  + root
                  + " is full: No space left on device; free space there, nothing was"
                  + " published)");
      assertThat(Files.readString(root.resolve("hourly/" + EARLIER)))
          .isEqualTo("an earlier backup");
    }
  }

  private AgentRun.Result run(Path root) {
    return AgentRun.in(work)
        .postgres(SharedServers.source())
        .env("BACKUP_ROOT_DIR", root.toString())
        .env("DATABASE", "bank")
        .clock(LATER)
        .run();
  }
}
