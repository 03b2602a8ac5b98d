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
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "command failed (" + p.exitValue() + "): " + command + "\n" + out);
      }
      return out;
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
