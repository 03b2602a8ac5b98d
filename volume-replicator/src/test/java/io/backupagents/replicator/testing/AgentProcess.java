package io.backupagents.replicator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the agent's main in a separate JVM (for sharding, kills and its printed output). */
public final class AgentProcess {

  private final Process process;
  private final Path output;

  private AgentProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the agent with {@code env}; stdout and stderr go to {@code output}. */
  public static AgentProcess start(Map<String, String> env, Path output) {
    return start(List.of(), env, output);
  }

  /** Starts the agent behind {@code wrapper} (e.g. {@code unshare ...}). */
  public static AgentProcess start(List<String> wrapper, Map<String, String> env, Path output) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(wrapper);
    argv.add(java);
    argv.add("--add-opens");
    argv.add("java.base/sun.nio.fs=ALL-UNNAMED");
    argv.add("--enable-native-access=ALL-UNNAMED");
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add("io.backupagents.replicator.VolumeReplicatorMain");
    ProcessBuilder pb =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("REPLICATE_PROGRESS_INTERVAL", "1h");
    pb.environment().putAll(env);
    try {
      return new AgentProcess(pb.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the exit status. */
  public int waitFor() {
    try {
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the agent did not finish:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGKILL, as the kernel's OOM killer or a node failure would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, as Kubernetes sends when the pod is deleted or a Job's deadline passes. */
  public void terminate() {
    process.destroy();
  }

  public String output() {
    try {
      return java.nio.file.Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs to completion and returns the exit status. */
  public static int run(Map<String, String> env, Path output) {
    return start(env, output).waitFor();
  }
}
