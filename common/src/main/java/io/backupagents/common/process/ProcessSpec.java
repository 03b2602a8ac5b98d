package io.backupagents.common.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What to run: the argv (never a secret in it), extra environment (where secrets go, e.g. {@code
 * PGPASSFILE}), and how to feed stdin, read stdout and treat stderr lines.
 *
 * @param name short name for logs and errors, e.g. {@code pg_dump}
 * @param stdin writes the child's standard input, or null for none (closed at once)
 * @param stdout reads the child's standard output as it streams, or null to discard it
 * @param stderrLine receives each stderr line (besides the tail kept for errors), or null to log it
 *     as a warning
 * @param timeout the child is killed when it runs longer, or null for no limit
 * @param bulkStdout the child writes a large stream to stdout, read in batches (see {@link
 *     PipeReading})
 */
public record ProcessSpec(
    String name,
    List<String> command,
    Map<String, String> environment,
    Path workingDirectory,
    Duration timeout,
    StdinWriter stdin,
    StdoutReader stdout,
    Consumer<String> stderrLine,
    boolean bulkStdout) {

  public ProcessSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /** A spec that runs {@code command} with no extra environment, input or output handling. */
  public static ProcessSpec of(String name, List<String> command) {
    return new ProcessSpec(name, command, Map.of(), null, null, null, null, null, false);
  }

  public ProcessSpec withEnvironment(Map<String, String> env) {
    return new ProcessSpec(
        name, command, env, workingDirectory, timeout, stdin, stdout, stderrLine, bulkStdout);
  }

  public ProcessSpec withTimeout(Duration limit) {
    return new ProcessSpec(
        name, command, environment, workingDirectory, limit, stdin, stdout, stderrLine, bulkStdout);
  }

  public ProcessSpec withStdin(StdinWriter writer) {
    return new ProcessSpec(
        name,
        command,
        environment,
        workingDirectory,
        timeout,
        writer,
        stdout,
        stderrLine,
        bulkStdout);
  }

  public ProcessSpec withStdout(StdoutReader reader) {
    return new ProcessSpec(
        name, command, environment, workingDirectory, timeout, stdin, reader, stderrLine, false);
  }

  /**
   * Reads stdout with {@code reader} as {@link #withStdout} does, for a child that writes a large
   * stream a few KiB at a time (pg_dump): the pipe is widened and read in batches.
   */
  public ProcessSpec withBulkStdout(StdoutReader reader) {
    return new ProcessSpec(
        name, command, environment, workingDirectory, timeout, stdin, reader, stderrLine, true);
  }

  public ProcessSpec withStderrLine(Consumer<String> handler) {
    return new ProcessSpec(
        name, command, environment, workingDirectory, timeout, stdin, stdout, handler, bulkStdout);
  }

  public ProcessSpec withWorkingDirectory(Path dir) {
    return new ProcessSpec(
        name, command, environment, dir, timeout, stdin, stdout, stderrLine, bulkStdout);
  }

  /** Writes the child's standard input; the stream is closed afterwards. */
  @FunctionalInterface
  public interface StdinWriter {
    void write(OutputStream in) throws IOException;
  }

  /** Consumes the child's standard output until end of stream. */
  @FunctionalInterface
  public interface StdoutReader {
    void read(InputStream out) throws IOException;
  }
}
