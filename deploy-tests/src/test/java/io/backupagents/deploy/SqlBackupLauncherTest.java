package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private InstalledLauncher launcher;
  private Path app;

  @BeforeEach
  void installLauncher() throws IOException {
    launcher = InstalledLauncher.install(dir, "sql-backup");
    app = launcher.app();
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
            "--sun-misc-unsafe-memory-access=allow",
            "-Xmx1g",
            "-Dx=y",
            "-jar",
            app.resolve("sql-backup.jar").toString(),
            "list");
  }

  /** The arguments the launcher passes to java, started as the image starts it. */
  private List<String> launch(Map<String, String> settings, List<String> args) {
    return launcher.launch(settings, args);
  }
}
