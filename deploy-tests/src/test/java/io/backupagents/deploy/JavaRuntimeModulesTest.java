package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images link a Java runtime of only the modules in the Dockerfiles' JAVA_MODULES: jdeps must
 * find nothing the agents' jars need outside it (but the modules listed here as unused).
 */
class JavaRuntimeModulesTest {

  // Referenced only by code paths the agents never take: Micrometer's logging binders
  // (java.beans) and pgjdbc's geometric types (java.awt). Leaving java.desktop out saves ~25 MB.
  private static final Set<String> KNOWN_UNUSED = Set.of("java.desktop");
  private static final Pattern MODULES = Pattern.compile("ARG JAVA_MODULES=(\\S+)");

  static Set<String> linkedModules(String image) throws IOException {
    String dockerfile =
        Files.readString(Repo.root().resolve("Dockerfiles/" + image + "/Dockerfile"));
    Matcher m = MODULES.matcher(dockerfile);
    assertThat(m.find()).as("JAVA_MODULES in %s's Dockerfile", image).isTrue();
    return new TreeSet<>(Arrays.asList(m.group(1).split(",")));
  }

  @Test
  void bothImagesLinkTheSameRuntime() throws IOException {
    // Identical stages share their layers in a build cache and in a registry.
    assertThat(runtimeStage("sql-backup")).isEqualTo(runtimeStage("volume-replicator"));
  }

  @Test
  void agentsNeedNoModuleTheRuntimeLacks(@TempDir Path dir) throws Exception {
    List<Path> classes = new ArrayList<>();
    for (String agent : List.of("sql-backup", "volume-replicator")) {
      Path jar = Repo.root().resolve(agent + "/target/" + agent + ".jar");
      assertThat(jar).as("built by the %s module", agent).exists();
      classes.add(unpack(jar, Files.createDirectories(dir.resolve(agent))));
    }
    // One jdeps run over both (the two images link the same runtime, see above).
    Set<String> needed = jdeps(classes);
    assertThat(needed).as("modules jdeps finds").contains("java.base", "java.sql");
    needed.removeAll(KNOWN_UNUSED);
    assertThat(linkedModules("sql-backup")).as("JAVA_MODULES").containsAll(needed);
  }

  /**
   * The shaded jar's classes as a plain directory: jdeps would take the jar for an automatic module
   * named after one of its dependencies and miss what the rest needs.
   */
  private static Path unpack(Path jar, Path dir) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.isDirectory()
            || !e.getName().endsWith(".class")
            || e.getName().endsWith("module-info.class")) {
          continue;
        }
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new AssertionError("entry outside the jar's root: " + e.getName());
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  private static Set<String> jdeps(List<Path> classes) throws Exception {
    Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            jdeps.toString(),
            "--multi-release",
            "21",
            "--ignore-missing-deps",
            "--print-module-deps"));
    classes.forEach(c -> command.add(c.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("jdeps: %s", out).isZero();
    String last = out.lines().reduce((a, b) -> b).orElse("");
    return new TreeSet<>(Arrays.asList(last.split(",")));
  }

  private static String runtimeStage(String image) throws IOException {
    String dockerfile =
        Files.readString(Repo.root().resolve("Dockerfiles/" + image + "/Dockerfile"));
    int from = dockerfile.indexOf("FROM ${JDK_IMAGE} AS java-runtime");
    int to = dockerfile.indexOf("# --- base:");
    assertThat(from).isPositive();
    return dockerfile.substring(from, to);
  }
}
