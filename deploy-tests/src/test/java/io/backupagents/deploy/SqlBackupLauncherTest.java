package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sql-backup image's launcher: the jar and the class archive beside it (found through the
 * symlink the image starts it by), the agent's arguments passed on, and JAVA_OPTS last. A stand-in
 * {@code java} on PATH prints the arguments the launcher gives it.
 */
class SqlBackupLauncherTest {

  @TempDir Path dir;
  private Path app;

  @BeforeEach
  void installLauncher() throws IOException {
    app = Files.createDirectories(dir.resolve("opt/sql-backup"));
    Path launcher = app.resolve("sql-backup");
    Files.copy(Repo.root().resolve("Dockerfiles/sql-backup/sql-backup"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createFile(app.resolve("sql-backup.jar"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The image starts it through a symlink in /usr/local/bin.
    Files.createSymbolicLink(bin.resolve("sql-backup"), launcher);
  }

  @Test
  void withoutAnArchiveThePlainJarStartsWithTheAgentsArguments() {
    assertThat(launch(Map.of(), List.of("recover", "--from", "2025-01-01")))
        .containsExactly(
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            app.resolve("sql-backup.jar").toString(),
            "recover",
            "--from",
            "2025-01-01");
  }

  @Test
  void theClassArchiveBesideTheJarIsUsedAndJavaOptsComeLast() throws IOException {
    Map<String, String> env = Map.of("JAVA_OPTS", "-Xmx1g -Dx=y");
    Files.createFile(app.resolve("sql-backup.jsa"));
    assertThat(launch(env, List.of("list")))
        .contains("-XX:SharedArchiveFile=" + app.resolve("sql-backup.jsa"));

    Files.createFile(app.resolve("sql-backup.aot"));
    assertThat(launch(env, List.of("list")))
        .containsExactly(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:AOTCache=" + app.resolve("sql-backup.aot"),
            "-Xmx1g",
            "-Dx=y",
            "-jar",
            app.resolve("sql-backup.jar").toString(),
            "list");
  }

  /** The arguments the launcher passes to java, started as the image starts it. */
  private List<String> launch(Map<String, String> settings, List<String> args) {
    List<String> command =
        new ArrayList<>(List.of("env", "-i", "PATH=" + dir.resolve("bin") + ":/usr/bin:/bin"));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    command.add(dir.resolve("bin/sql-backup").toString());
    command.addAll(args);
    return List.of(Commands.run(command).strip().split("\n"));
  }
}
