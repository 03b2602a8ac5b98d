package io.backupagents.common.process;

import java.time.Duration;
import java.util.List;

/** How a child that exited 0 ended: its stderr tail (warnings) and how long it ran. */
public record ProcessResult(List<String> stderrTail, Duration elapsed) {

  public ProcessResult {
    stderrTail = List.copyOf(stderrTail);
  }
}
