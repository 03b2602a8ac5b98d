package io.backupagents.sqlbackup.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's step, run here as the image build runs it: make-class-archive.sh trains the
 * real agent jar through the image's launcher against throw-away servers of this machine's
 * PostgreSQL (whose clients the agent then uses), and the JVM accepts the archive it leaves beside
 * the jar, also when the launcher starts the agent with it.
 */
class ArchiveTrainingTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path AGENT_JAR = Path.of(System.getProperty("sql-backup.jar"));
  private static final Path TRAINING = Path.of(System.getProperty("training.dir"));
  private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

  @Test
  void theTrainingMakesAnArchiveTheJvmAcceptsForTheLaunchersStarts(@TempDir Path dir)
      throws IOException {
    Path serverBin = serverBinaries();
    Path app = Files.createDirectories(dir.resolve("opt/sql-backup"));
    Path launcher = app.resolve("sql-backup");
    Files.copy(REPO.resolve("Dockerfiles/sql-backup/sql-backup"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(AGENT_JAR, app.resolve("sql-backup.jar"));

    List<String> command =
        new ArrayList<>(
            List.of(
                "sh",
                REPO.resolve("Dockerfiles/make-class-archive.sh").toString(),
                "sql-backup",
                app.toString(),
                TRAINING.toString(),
                "io.backupagents.sqlbackup.training.ArchiveTrainingMain",
                serverBin.toString()));
    if (Commands.isRoot()) {
      command.add(PostgresServer.SUPERUSER); // initdb refuses root
    }
    Map<String, String> path = Map.of("PATH", JAVA_BIN + ":/usr/bin:/bin");
    Commands.Outcome made = Commands.runForStatus(command, path);
    assertThat(made.status()).as("make-class-archive.sh:\n%s", made.output()).isZero();

    boolean aot = Runtime.version().feature() >= 24;
    Path archive = app.resolve(aot ? "sql-backup.aot" : "sql-backup.jsa");
    assertThat(archive).isNotEmptyFile();
    List<String> strict =
        aot
            ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive)
            : List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive);
    List<String> version = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString()));
    version.addAll(strict);
    version.addAll(List.of("-cp", app.resolve("sql-backup.jar").toString(), "-version"));
    assertThat(Commands.runForStatus(version, Map.of()).status()).isZero();

    // The launcher's start with the archive: the JVM refuses to start unless it fits.
    Path empty = Files.createDirectories(dir.resolve("backups"));
    Commands.Outcome list =
        Commands.runForStatus(
            List.of(
                "env",
                "-i",
                "PATH=" + JAVA_BIN + ":/usr/bin:/bin",
                "LANG=C.UTF-8",
                "BACKUP_ROOT_DIR=" + empty,
                "RECOVERY_ROOT_DIR=" + empty,
                "TERMINATION_LOG_PATH=" + dir.resolve("termination"),
                "JAVA_OPTS=" + String.join(" ", strict),
                launcher.toString(),
                "list"),
            Map.of());
    assertThat(list.status()).as("list through the launcher:\n%s", list.output()).isZero();
  }

  /** This machine's PostgreSQL server (the agent needs clients of its major too, as in CI). */
  private static Path serverBinaries() {
    try {
      return PostgresServer.findBinDir(null);
    } catch (IllegalStateException e) {
      throw RequiredTool.unavailable(e.getMessage());
    }
  }
}
