package io.backupagents.sqlbackup.dump;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a client tool's stderr: its errors, with their detail and continuation lines, as errors;
 * anything else (pg_dump's warnings) as warnings, counted, and not taken for a failure: the exit
 * status decides.
 */
final class StderrLog implements Consumer<String> {

  private static final Logger log = LoggerFactory.getLogger(StderrLog.class);

  private final String what;
  private final AtomicBoolean inError = new AtomicBoolean();
  private final AtomicInteger warnings = new AtomicInteger();

  StderrLog(String what) {
    this.what = what;
  }

  /** Warning lines seen so far. */
  int warnings() {
    return warnings.get();
  }

  @Override
  public void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    boolean follows =
        Character.isWhitespace(line.charAt(0))
            || line.contains(": detail:")
            || line.contains(": hint:")
            || line.startsWith("DETAIL:")
            || line.startsWith("HINT:");
    if (line.contains("error:") || line.contains("ERROR:") || line.contains("FATAL:")) {
      inError.set(true);
    } else if (!follows) {
      inError.set(false);
    }
    if (inError.get()) {
      log.error("[{}] {}", what, line);
      return;
    }
    if (!follows) {
      warnings.incrementAndGet();
    }
    log.warn("[{}] {}", what, line);
  }
}
