package io.backupagents.sqlbackup.codec;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.io.IOException;

/**
 * A backup that cannot be decoded: corrupt, truncated, tampered with, or encrypted to keys this run
 * does not hold. An {@link IOException}, so that a restore feeding psql treats it as a failed read
 * and makes psql give up, and the check before a restore reports it with its own exit code.
 */
public final class CodecException extends IOException {

  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public CodecException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** The failure as the launcher reports it, naming the backup. */
  public AgentException toAgentException(String backup) {
    return new AgentException(exitCode, backup + ": " + getMessage(), this);
  }
}
