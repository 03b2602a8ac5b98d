package io.backupagents.sqlbackup.testing;

import io.backupagents.common.launch.Launcher;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Runs the sql-backup agent through the real launcher with a given environment and clock. */
public final class AgentRun {

  private final Map<String, String> env = new HashMap<>();
  private final Path terminationLog;
  private Clock clock = Clock.systemUTC();
  private FileSystem fileSystem;
  private UnaryOperator<ProcessRunner> processes = UnaryOperator.identity();
  private UnaryOperator<HostEnvironment> hostChanges = UnaryOperator.identity();

  /** What a run ended with. */
  public record Result(int exitCode, String termination, String metrics) {}

  private AgentRun(Path workDir) {
    this.terminationLog = workDir.resolve("termination-log");
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", workDir.toString());
    env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
    env.put("TERMINATION_LOG_PATH", terminationLog.toString());
  }

  /** A run whose home and termination log are in {@code workDir}. */
  public static AgentRun in(Path workDir) {
    return new AgentRun(workDir);
  }

  /** The connection variables for {@code server}, with the legacy password variable. */
  public AgentRun postgres(PostgresServer server) {
    env.put("PGHOST", server.host());
    env.put("PGPORT", Integer.toString(server.port()));
    env.put("PGUSER", PostgresServer.SUPERUSER);
    env.put("PGADMINPASS", server.password());
    return this;
  }

  public AgentRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public AgentRun env(Map<String, String> more) {
    env.putAll(more);
    return this;
  }

  public AgentRun clock(Clock c) {
    this.clock = c;
    return this;
  }

  public AgentRun fileSystem(FileSystem fs) {
    this.fileSystem = fs;
    return this;
  }

  /** Changes the host the agent sees, e.g. where versioned client tools are installed. */
  public AgentRun host(UnaryOperator<HostEnvironment> change) {
    this.hostChanges = change;
    return this;
  }

  /** Wraps the real process runner, e.g. to interfere with pg_dump. */
  public AgentRun processes(UnaryOperator<ProcessRunner> wrapper) {
    this.processes = wrapper;
    return this;
  }

  public Result run(String... args) {
    HostEnvironment host = HostEnvironment.of(env, clock);
    if (fileSystem != null) {
      host = host.withFileSystem(fileSystem);
    }
    Launcher launcher = new Launcher(new SqlBackupAgent(hostChanges.apply(host)), env, clock);
    launcher.processRunner(processes.apply(new LocalProcessRunner(env)));
    int code = launcher.run(List.of(args));
    return new Result(code, termination(), launcher.registry().scrape());
  }

  private String termination() {
    try {
      return Files.exists(terminationLog)
          ? Files.readString(terminationLog, StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
