package io.backupagents.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a helper command for a fixture and fails loudly, with its output, when it fails. */
public final class Commands {

  private Commands() {}

  public static String run(List<String> command) {
    return run(command, Map.of());
  }

  public static String run(List<String> command, Map<String, String> env) {
    Outcome outcome = runForStatus(command, env);
    if (outcome.status() != 0) {
      throw new IllegalStateException(
          "command failed (" + outcome.status() + "): " + command + "\n" + outcome.output());
    }
    return outcome.output();
  }

  /** What a command ended with: its exit status and its output (stdout and stderr). */
  public record Outcome(int status, String output) {}

  /**
   * Runs {@code command} and returns its status, for commands whose failures mean several things.
   */
  public static Outcome runForStatus(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process p = builder.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Outcome(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  /** True when this JVM runs as root (uid 0). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
