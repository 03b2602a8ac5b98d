package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jars the images ship hold the agent and its libraries, and no S3 server: the class archives'
 * trainings (and the S3Proxy the replicator's trains against) live in the build-only modules
 * volume-replicator-training, sql-backup-training and class-archive-training, and no class of ours
 * serves HTTP.
 */
class ShippedJarsTest {

  /** Where an S3 or HTTP server would come from: S3Proxy, jclouds, Jetty, the trainings. */
  private static final List<String> SERVER_PREFIXES =
      List.of(
          "org/gaul/",
          "org/jclouds/",
          "org/eclipse/jetty/server/",
          "io/backupagents/replicator/training/",
          "io/backupagents/sqlbackup/training/",
          "io/backupagents/training/",
          "org/apache/hc/core5/http/impl/bootstrap/HttpServer");

  @ParameterizedTest
  @ValueSource(strings = {"sql-backup", "volume-replicator"})
  void theShippedJarHoldsNoS3Server(String agent) throws IOException {
    Path jar = Repo.root().resolve(agent + "/target/" + agent + ".jar");
    assertThat(jar).as("built by the %s module", agent).exists();

    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(JarEntry::getName).toList();

      assertThat(names)
          .as("the agent's own classes")
          .anyMatch(n -> n.startsWith("io/backupagents/"));
      assertThat(names)
          .as("classes of an S3 or HTTP server in %s", jar)
          .noneMatch(n -> SERVER_PREFIXES.stream().anyMatch(n::startsWith));
      assertThat(file.getManifest().getMainAttributes().getValue("Agent-Main-Class"))
          .as("the agent's main")
          .endsWith("Main")
          .doesNotContainIgnoringCase("training");
    }
  }
}
