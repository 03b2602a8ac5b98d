package io.backupagents.common.exit;

/**
 * A failure with a known class: carries the exit code and a one-line cause for the operator.
 *
 * <p>Messages must never contain a secret; they end up in logs and the termination message.
 */
public class AgentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public AgentException(ExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public AgentException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    if (exitCode == ExitCode.SUCCESS) {
      throw new IllegalArgumentException("an AgentException cannot mean success");
    }
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
