package io.backupagents.sqlbackup.testing;

import io.backupagents.sqlbackup.SqlBackupMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The agent in a process of its own, for what only a real process shows: signals, its log. */
public final class AgentProcess {

  private final Process process;
  private final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code sql-backup <args>} with exactly {@code env} (plus PATH); output to {@code log}.
   */
  public static AgentProcess start(Map<String, String> env, Path log, String... args) {
    List<String> argv =
        new java.util.ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                SqlBackupMain.class.getName()));
    argv.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    try {
      return new AgentProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process process() {
    return process;
  }

  /** Waits up to three minutes for the exit status. */
  public int waitFor() throws InterruptedException {
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the agent did not finish:\n" + output());
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
