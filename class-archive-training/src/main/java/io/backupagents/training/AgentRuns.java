package io.backupagents.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the agent as its own process, once per training step, exactly as it is started in
 * production (the image's launcher), with {@code -XX:DumpLoadedClassList} added through {@code
 * JDK_JAVA_OPTIONS} so that each run writes the classes it loaded.
 */
public final class AgentRuns {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final List<String> command;
  private final Map<String, String> baseEnvironment;
  private final Path work;
  private final List<Path> classLists = new ArrayList<>();

  /**
   * {@code command} starts the agent (the launcher); {@code baseEnvironment} is what every run gets
   * besides its settings (PATH, LANG); logs and class lists go to {@code work}.
   */
  public AgentRuns(List<String> command, Map<String, String> baseEnvironment, Path work) {
    this.command = List.copyOf(command);
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.work = work;
  }

  /** Runs the agent with {@code settings}; returns its exit status. */
  public int run(String step, Map<String, String> settings)
      throws IOException, InterruptedException {
    return run(step, List.of(), settings);
  }

  /**
   * Runs the agent with the arguments {@code args} and {@code settings}; returns its exit status.
   */
  public int run(String step, List<String> args, Map<String, String> settings)
      throws IOException, InterruptedException {
    int n = classLists.size() + 1;
    Path classList = work.resolve("run-" + n + ".classlist");
    Path log = work.resolve("run-" + n + ".log");
    List<String> commandLine = new ArrayList<>(command);
    commandLine.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(commandLine).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(baseEnvironment);
    env.putAll(settings);
    env.put("JDK_JAVA_OPTIONS", "-XX:DumpLoadedClassList=" + classList);
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("training step '" + step + "' did not end within " + TIMEOUT);
    }
    if (p.exitValue() != 0) {
      System.err.println("training step '" + step + "', its output:");
      System.err.println(Files.readString(log, StandardCharsets.UTF_8));
    }
    classLists.add(classList);
    return p.exitValue();
  }

  /** The class lists the runs wrote, in order. */
  public List<Path> classLists() {
    return List.copyOf(classLists);
  }
}
