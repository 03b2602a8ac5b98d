package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar} with a Java older than the agents' tells the user which Java the agent needs
 * (common's JarMain, the jars' Main-Class), instead of the JVM's UnsupportedClassVersionError; with
 * the build's Java it runs the agent.
 */
class JarJavaVersionTest {

  private static final Pattern SPEC_VERSION =
      Pattern.compile("java\\.specification\\.version = (?:1\\.)?(\\d+)");

  private record Java(Path binary, int feature) {}

  @ParameterizedTest
  @ValueSource(strings = {"sql-backup", "volume-replicator"})
  void anOlderJavaIsToldWhichJavaTheAgentNeeds(String agent) {
    Java old = olderJava();

    Commands.Outcome run =
        Commands.runForStatus(List.of(old.binary().toString(), "-jar", jar(agent)), Map.of());

    assertThat(run.status()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .startsWith(agent + " needs Java 21 or later; found " + old.feature() + " (")
        .contains("run it with a newer java, or use the container image")
        .doesNotContain("UnsupportedClassVersionError")
        .hasLineCount(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sql-backup", "volume-replicator"})
  void theBuildsJavaRunsTheAgentsMain(String agent, @org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path termination = dir.resolve("termination");

    Commands.Outcome run =
        Commands.runForStatus(
            List.of(java.toString(), "-jar", jar(agent), "no-such-action"),
            Map.of("TERMINATION_LOG_PATH", termination.toString()));

    // The agent's own settings check answered: the launcher ran.
    assertThat(run.status()).as(run.output()).isEqualTo(2);
    assertThat(Files.readString(termination)).startsWith("FAILURE (2: invalid settings");
  }

  private static String jar(String agent) {
    Path jar = Repo.root().resolve(agent + "/target/" + agent + ".jar");
    assertThat(jar).as("built by the %s module", agent).exists();
    return jar.toString();
  }

  /** The default java, or another installed one, when it is older than 21. */
  private static Java olderJava() {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/java")));
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      jvms.map(d -> d.resolve("bin/java")).sorted().forEach(candidates::add);
    } catch (IOException e) {
      // no /usr/lib/jvm: only the default java
    }
    for (Path java : candidates) {
      if (!Files.isExecutable(java)) {
        continue;
      }
      Commands.Outcome settings =
          Commands.runForStatus(
              List.of(java.toString(), "-XshowSettings:properties", "-version"), Map.of());
      Matcher m = SPEC_VERSION.matcher(settings.output());
      if (m.find() && Integer.parseInt(m.group(1)) < 21) {
        return new Java(java, Integer.parseInt(m.group(1)));
      }
    }
    throw RequiredTool.unavailable(
        "no Java older than 21 is installed (apt-get install openjdk-17-jre-headless; .ci/run"
            + " does)");
  }
}
