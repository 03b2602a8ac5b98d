package io.backupagents.sqlbackup.load;

import io.backupagents.common.logging.Progress;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of reading a backup: bytes read of its size, rate and time left. On a terminal ({@code
 * docker run -it}) a line redrawn in place every second; otherwise a log line every 30 seconds.
 */
public final class RestoreProgress implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RestoreProgress.class);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(30);
  private static final Duration BAR_INTERVAL = Duration.ofSeconds(1);

  private final Progress progress;
  private final PrintStream terminal;

  private RestoreProgress(String what, long total, Clock clock, PrintStream terminal) {
    this.terminal = terminal;
    this.progress =
        terminal == null
            ? new Progress(what, total, clock, LOG_INTERVAL, line -> log.info("{}", line))
            : new Progress(what, total, clock, BAR_INTERVAL, this::redraw);
  }

  /** Progress of {@code what} over {@code total} bytes (0: unknown). */
  public static RestoreProgress start(String what, long total, Clock clock) {
    return new RestoreProgress(what, total, clock, isTerminal() ? System.err : null);
  }

  /** Progress reported only in the log, for work nobody watches live. */
  static RestoreProgress logged(String what, long total, Clock clock) {
    return new RestoreProgress(what, total, clock, null);
  }

  /** {@code in}, counting every byte read through it. */
  public InputStream counting(InputStream in) {
    return progress.counting(in);
  }

  long done() {
    return progress.done();
  }

  private void redraw(String line) {
    terminal.print("\r" + line + "\033[K");
    terminal.flush();
  }

  @Override
  public void close() {
    if (terminal != null) {
      redraw(progress.line());
      terminal.println();
    }
  }

  /** Standard input and output are a terminal: JDK 22 added Console.isTerminal() for that. */
  @SuppressWarnings("SystemConsoleNull") // isTerminal() is asked below where the JDK has it
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      return true; // before JDK 22 there is a console only on a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
