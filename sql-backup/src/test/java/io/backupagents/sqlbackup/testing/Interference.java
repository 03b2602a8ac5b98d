package io.backupagents.sqlbackup.testing;

import io.backupagents.common.process.ProcessRunner;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.UnaryOperator;

/** Wraps the process runner so a test can act while pg_dump is in the middle of its output. */
public final class Interference {

  private Interference() {}

  /**
   * Runs {@code action} once per dump, after {@code afterBytes} of the named tool's output were
   * read. The agent's {@code --version} probes of the same tool are left alone: their output is a
   * single line, and acting on it would act on the wrong process.
   */
  public static UnaryOperator<ProcessRunner> after(String tool, long afterBytes, Runnable action) {
    return real ->
        spec -> {
          if (!spec.name().equals(tool)
              || spec.stdout() == null
              || spec.command().contains("--version")) {
            return real.run(spec);
          }
          return real.run(
              spec.withStdout(in -> spec.stdout().read(new Trigger(in, afterBytes, action))));
        };
  }

  /**
   * The live direct children of this JVM running {@code tool}: the agent starts its tools itself,
   * so grandchildren (a {@code pg_dumpall}'s own {@code pg_dump}) and processes that are exiting
   * are never picked up by mistake.
   */
  public static List<ProcessHandle> running(String tool) {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith("/" + tool))
        .toList();
  }

  private static final class Trigger extends FilterInputStream {
    private final long afterBytes;
    private final Runnable action;
    private long read;
    private boolean fired;

    Trigger(InputStream in, long afterBytes, Runnable action) {
      super(in);
      this.afterBytes = afterBytes;
      this.action = action;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        read += n;
        if (!fired && read >= afterBytes) {
          fired = true;
          action.run();
        }
      }
      return n;
    }
  }
}
