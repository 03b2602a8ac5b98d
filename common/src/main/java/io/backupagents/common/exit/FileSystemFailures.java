package io.backupagents.common.exit;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the two file-system failures a person fixes outside the agent, a full volume and a
 * read-only one, wherever they surface, and turns them into their exit code and a one-line cause
 * that names the path (the JDK reports ENOSPC from a write without any path, so the caller says
 * which volume it was writing to).
 */
public final class FileSystemFailures {

  private FileSystemFailures() {}

  /**
   * The failure {@code t} stands for, if it is one of the two; {@code volume} is the directory the
   * run was writing to, or null when only the exception can tell.
   */
  public static Optional<AgentException> classify(Throwable t, Path volume) {
    String file = null;
    ExitCode code = null;
    String reason = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FileSystemException f && f.getFile() != null && file == null) {
        file = f.getFile();
      }
      if (c instanceof IOException && code == null) {
        String m =
            String.valueOf(c instanceof FileSystemException f ? f.getReason() : c.getMessage());
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota exceeded")) {
          code = ExitCode.NO_SPACE;
          reason = m;
        } else if (lower.contains("read-only file system")) {
          code = ExitCode.READ_ONLY;
          reason = m;
        }
      }
    }
    if (code == null) {
      return Optional.empty();
    }
    String where = volume != null ? volume.toString() : file != null ? file : "a file system";
    String writing = file != null && !file.equals(where) ? " (writing " + file + ")" : "";
    String message =
        code == ExitCode.NO_SPACE
            ? "the file system of "
                + where
                + " is full"
                + writing
                + ": "
                + reason
                + "; free space there, nothing was published"
            : where
                + " is on a read-only file system"
                + writing
                + ": mount the volume read-write; nothing was changed";
    return Optional.of(new AgentException(code, message, t));
  }
}
