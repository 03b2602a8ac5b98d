package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's promtool (Debian's prometheus package): rule checks and rule unit tests. */
final class Promtool {

  private Promtool() {}

  /** {@code promtool check rules}: the file parses, every expression is valid PromQL. */
  static void checkRules(Path rules) {
    run(List.of("check", "rules", rules.toString()), rules.getParent());
  }

  /** {@code promtool test rules}: the unit tests in the file pass. */
  static void testRules(Path tests) {
    run(List.of("test", "rules", tests.getFileName().toString()), tests.getParent());
  }

  private static void run(List<String> args, Path dir) {
    Path promtool = RequiredTool.require("promtool", "/usr/bin");
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(args);
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
      assertThat(p.exitValue()).as("promtool %s:\n%s", String.join(" ", args), out).isZero();
      assertThat(out).contains("SUCCESS");
    } catch (IOException e) {
      throw new AssertionError("could not run promtool: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
