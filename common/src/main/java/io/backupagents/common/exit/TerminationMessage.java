package io.backupagents.common.exit;

import io.backupagents.common.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Kubernetes termination message in the legacy images' format: {@code SUCCESS} or {@code
 * FAILURE (<exit code>: <cause>)}. Deployment playbooks assert on {@code SUCCESS}.
 */
public final class TerminationMessage {

  private static final Logger log = LoggerFactory.getLogger(TerminationMessage.class);
  // Kubernetes keeps at most 4096 bytes of a termination message.
  private static final int MAX_LENGTH = 4000;

  private final Path path;

  public TerminationMessage(Path path) {
    this.path = path;
  }

  public static String format(ExitCode code, String cause) {
    if (code == ExitCode.SUCCESS) {
      return "SUCCESS";
    }
    String oneLine = cause == null ? code.meaning() : cause.replaceAll("\\s*\\R\\s*", " ").strip();
    String text = "FAILURE (" + code.status() + ": " + oneLine + ")";
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 4) + "...)" : text;
  }

  /** Best effort: a missing /dev/termination-log (outside Kubernetes) is not a failure. */
  public void write(ExitCode code, String cause) {
    String text = format(code, cause);
    try {
      if (Files.isRegularFile(path) || Files.isDirectory(path.toAbsolutePath().getParent())) {
        if (path.startsWith("/dev")) {
          Files.writeString(path, text, StandardCharsets.UTF_8);
        } else {
          AtomicFiles.write(path, text.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not write the termination message to {}: {}", path, e.toString());
    }
  }
}
