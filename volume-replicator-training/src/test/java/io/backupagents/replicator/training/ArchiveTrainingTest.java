package io.backupagents.replicator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.training.AgentRuns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's training goes through all its steps against a real S3Proxy, each a separate
 * start of the agent, and gathers the classes of the directory and S3 paths.
 */
class ArchiveTrainingTest {

  private static final Path S3PROXY_JAR = Path.of(System.getProperty("s3proxy.jar"));

  /** The agent as the launcher starts it, on this test's class path instead of the jar. */
  private static AgentRuns agentRuns(Path work) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            java.toString(),
            "--add-opens",
            "java.base/sun.nio.fs=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "io.backupagents.replicator.VolumeReplicatorMain");
    return new AgentRuns(
        command, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8"), work);
  }

  @Test
  void everyStepEndsAsExpectedAndTheClassListCoversDirectoriesAndS3(@TempDir Path work)
      throws Exception {
    Path classList = work.resolve("agent.classlist");
    assertThat(ArchiveTraining.run(S3PROXY_JAR, work, agentRuns(work), classList)).isEmpty();

    List<String> classes = Files.readAllLines(classList, StandardCharsets.UTF_8);
    assertThat(classes)
        .contains(
            "io/backupagents/replicator/execute/DirectoryTarget",
            "io/backupagents/replicator/execute/S3Target",
            "io/backupagents/replicator/execute/S3Source",
            "io/backupagents/replicator/scan/S3Scanner")
        .doesNotHaveDuplicates()
        .noneMatch(l -> l.contains(" id: ") || l.startsWith("#"));
  }

  @Test
  void aMissingS3ProxyJarIsNamed(@TempDir Path work) {
    Path missing = work.resolve("no-such-s3proxy.jar");
    assertThatThrownBy(
            () -> ArchiveTraining.run(missing, work, agentRuns(work), work.resolve("x.classlist")))
        .isInstanceOf(IOException.class)
        .hasMessage("no S3Proxy jar at " + missing);
  }
}
