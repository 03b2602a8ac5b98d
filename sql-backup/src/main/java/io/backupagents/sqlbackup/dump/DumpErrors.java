package io.backupagents.sqlbackup.dump;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Turns a failed dump into an exit code and a one-line cause that quotes the tool's stderr. */
public final class DumpErrors {

  private static final List<String> UNREACHABLE =
      List.of(
          "could not connect",
          "connection to server",
          "server closed the connection",
          "connection refused",
          "no connection to the server",
          "terminating connection",
          "could not translate host name",
          "timeout expired",
          "the database system is shutting down",
          "the database system is starting up");

  private DumpErrors() {}

  /** {@code what} names the dump, e.g. "pg_dump of bank". */
  public static AgentException classify(String what, ProcessFailedException e) {
    if (e.timedOut()) {
      return new AgentException(
          ExitCode.OPERATION_FAILED,
          what
              + " ran longer than DUMP_TIMEOUT and was killed; the partial file was removed (raise"
              + " DUMP_TIMEOUT, or set it to 0 for no limit)",
          e);
    }
    String tail = stderrTail(e.stderrTail());
    String all = String.join("\n", e.stderrTail()).toLowerCase(Locale.ROOT);
    String cause = what + " failed: " + e.getMessage().split(":", 2)[0] + tail;
    if (all.contains("password authentication failed")
        || all.contains("no password supplied")
        || all.contains("authentication failed")) {
      return new AgentException(ExitCode.AUTH_FAILED, cause, e);
    }
    if (all.contains("database \"") && all.contains("\" does not exist")) {
      return new AgentException(ExitCode.NOT_FOUND, cause, e);
    }
    if (UNREACHABLE.stream().anyMatch(all::contains)) {
      return new AgentException(ExitCode.UNREACHABLE, cause, e);
    }
    return new AgentException(ExitCode.OPERATION_FAILED, cause, e);
  }

  /**
   * The part of the stderr tail that explains the failure, on one line: from the last line with
   * "error:" (continuation lines joined to theirs) up to two detail lines, else the last three.
   */
  static String stderrTail(List<String> lines) {
    List<String> logical = new java.util.ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      boolean continuation = Character.isWhitespace(line.charAt(0)) && !logical.isEmpty();
      if (continuation) {
        logical.set(logical.size() - 1, logical.get(logical.size() - 1) + " " + line.strip());
      } else {
        logical.add(line.strip());
      }
    }
    int from = Math.max(0, logical.size() - 3);
    for (int i = logical.size() - 1; i >= 0; i--) {
      if (logical.get(i).contains("error:") || logical.get(i).contains("FATAL:")) {
        from = i;
        break;
      }
    }
    List<String> kept = logical.subList(from, Math.min(logical.size(), from + 3));
    String text = String.join(" | ", kept);
    return kept.isEmpty()
        ? ""
        : ": " + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
  }

  /** True when {@code e} or one of its causes says that a file system is full. */
  public static boolean mentionsDiskFull(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof IOException
          && (m.contains("no space left")
              || m.contains("out of disk space")
              || m.contains("disk quota exceeded")
              || m.contains("file too large"))) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code e} (or a cause) says the file system is full, or {@code dir}'s store is. */
  public static boolean isDiskFull(Throwable e, Path dir) {
    if (mentionsDiskFull(e)) {
      return true;
    }
    try {
      FileStore store = Files.getFileStore(dir);
      return e instanceof IOException && store.getUsableSpace() < 64 * 1024;
    } catch (IOException | RuntimeException ignored) {
      return false;
    }
  }
}
