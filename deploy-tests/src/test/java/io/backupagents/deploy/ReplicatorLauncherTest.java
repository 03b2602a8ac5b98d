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
 * The volume-replicator image's launcher: the class archive beside the jar, C1 alone for runs
 * between directories, both JIT compilers when a side is S3, and JAVA_OPTS last. A stand-in {@code
 * java} on PATH prints the arguments the launcher gives it.
 */
class ReplicatorLauncherTest {

  private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;
  private InstalledLauncher launcher;
  private Path app;

  @BeforeEach
  void installLauncher() throws IOException {
    launcher = InstalledLauncher.install(dir, "volume-replicator");
    app = launcher.app();
  }

  @Test
  void aRunBetweenDirectoriesUsesTheQuickCompilerAlone() {
    assertThat(launch(Map.of("REPLICATE_SOURCE", "/data", "REPLICATE_TARGET", "/nfs/copy")))
        .contains(C1_ONLY);
    assertThat(launch(Map.of("REPLICATE_DIRECTION", "AtoB", "USE_RCLONE", "no"))).contains(C1_ONLY);
  }

  @Test
  void aRunWithAnS3SideKeepsTheOptimizingCompiler() {
    for (Map<String, String> env :
        List.of(
            Map.of("REPLICATE_SOURCE", "/data", "REPLICATE_TARGET", "s3://media/production"),
            Map.of("REPLICATE_SOURCE", "S3://media/production", "REPLICATE_TARGET", "/restore"),
            Map.of("REPLICATE_DIRECTION", "AtoB", "USE_RCLONE", "yes"),
            Map.of("REPLICATE_DIRECTION", "BtoA", "VOLUME_A_IS_S3", "TRUE"))) {
      assertThat(launch(env)).as(env.toString()).doesNotContain(C1_ONLY);
    }
  }

  @Test
  void theClassArchiveBesideTheJarIsUsedAndJavaOptsComeLast() throws IOException {
    Map<String, String> env = Map.of("REPLICATE_SOURCE", "/a", "JAVA_OPTS", "-Xmx1g -Dx=y");
    assertThat(launch(env)).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.contains("Shared"));

    Files.createFile(app.resolve("volume-replicator.jsa"));
    assertThat(launch(env))
        .contains("-XX:SharedArchiveFile=" + app.resolve("volume-replicator.jsa"));

    Files.createFile(app.resolve("volume-replicator.aot"));
    List<String> args = launch(env);
    assertThat(args)
        .containsExactly(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:AOTCache=" + app.resolve("volume-replicator.aot"),
            "--sun-misc-unsafe-memory-access=allow",
            C1_ONLY,
            "-Xmx1g",
            "-Dx=y",
            "-jar",
            app.resolve("volume-replicator.jar").toString());
  }

  /** The arguments the launcher passes to java, started as the image starts it. */
  private List<String> launch(Map<String, String> settings) {
    return launcher.launch(settings, List.of());
  }
}
