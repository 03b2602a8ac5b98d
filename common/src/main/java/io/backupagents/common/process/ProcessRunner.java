package io.backupagents.common.process;

import java.io.IOException;

/** Runs external tools; injectable so tests can check argv and environment. */
@FunctionalInterface
public interface ProcessRunner {

  /**
   * Runs the child to completion.
   *
   * @throws ProcessFailedException when it could not start, exited non-zero or overran its timeout
   * @throws IOException when the stdout reader or stdin writer failed (the child is killed)
   */
  ProcessResult run(ProcessSpec spec)
      throws ProcessFailedException, IOException, InterruptedException;
}
