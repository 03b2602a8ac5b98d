package io.backupagents.common.process;

import java.util.List;

/** A child that could not start, exited non-zero, or was killed for overrunning its timeout. */
public final class ProcessFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The exit status used when the child never started. */
  public static final int NOT_STARTED = -1;

  private final String processName;
  private final int exitStatus;
  private final boolean timedOut;
  private final List<String> stderrTail;

  public ProcessFailedException(
      String processName, int exitStatus, boolean timedOut, List<String> stderrTail) {
    super(describe(processName, exitStatus, timedOut, stderrTail));
    this.processName = processName;
    this.exitStatus = exitStatus;
    this.timedOut = timedOut;
    this.stderrTail = List.copyOf(stderrTail);
  }

  public String processName() {
    return processName;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public boolean timedOut() {
    return timedOut;
  }

  /** The last lines the child wrote to stderr, oldest first. */
  public List<String> stderrTail() {
    return stderrTail;
  }

  /** The last non-blank stderr line, or empty. */
  public String lastStderrLine() {
    for (int i = stderrTail.size() - 1; i >= 0; i--) {
      if (!stderrTail.get(i).isBlank()) {
        return stderrTail.get(i).strip();
      }
    }
    return "";
  }

  private static String describe(
      String name, int status, boolean timedOut, List<String> stderrTail) {
    String what;
    if (timedOut) {
      what = name + " ran past its time limit and was killed";
    } else if (status == NOT_STARTED) {
      what = name + " could not be started";
    } else if (status > 128) {
      what = name + " was killed by signal " + (status - 128);
    } else {
      what = name + " exited with status " + status;
    }
    String last = "";
    for (int i = stderrTail.size() - 1; i >= 0 && last.isEmpty(); i--) {
      last = stderrTail.get(i).strip();
    }
    return last.isEmpty() ? what : what + ": " + last;
  }
}
