package io.backupagents.deploy;

import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman and the image build script, run with the settings Dockerfiles/local/env.sh gives them
 * (containers.conf with runc, cgroupfs and ulimits that fit this host).
 */
final class Podman {

  /** What a command printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {}

  private Podman() {}

  /** Fails (CI) or skips (elsewhere) when podman cannot be used here: not installed, not root. */
  static void requireUsable() {
    RequiredTool.require("podman");
    RequiredTool.require("buildah");
    RequiredTool.require("runc", "/usr/sbin", "/usr/bin");
    RequiredTool.require("debootstrap", "/usr/sbin");
    if (!Commands.isRoot()) {
      throw RequiredTool.unavailable("the image build needs root (debootstrap, rootful podman)");
    }
  }

  /** {@code podman <args>} with the project's container settings. */
  static Result podman(List<String> args, Duration timeout) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash", "-c", "source Dockerfiles/local/env.sh && exec podman \"$@\"", "podman"));
    command.addAll(args);
    return run(command, timeout);
  }

  /** Runs a command in the repository's root, output captured in a file (it can be long). */
  static Result run(List<String> command, Duration timeout) {
    try {
      Path log = Files.createTempFile("podman-", ".log");
      Process p =
          new ProcessBuilder(command)
              .directory(Repo.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "timed out after " + timeout + ": " + command + "\n" + tail(Files.readString(log)));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      // Kept in the test's report (target/surefire-reports/*-output.txt) for diagnosis.
      System.out.printf("$ %s%n%s%n", String.join(" ", command), tail(output));
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  static String tail(String output) {
    return output.length() <= 6000 ? output : "...\n" + output.substring(output.length() - 6000);
  }
}
