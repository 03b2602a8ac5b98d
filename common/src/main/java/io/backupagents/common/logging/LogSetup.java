package io.backupagents.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/** Configures logback from LOG_FORMAT and LOG_LEVEL: readable lines or one JSON object a line. */
public final class LogSetup {

  /** How log lines look. */
  public enum Format {
    PLAIN,
    JSON
  }

  /** Log levels, as LOG_LEVEL accepts them. */
  public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %msg%n%throwable{short}";

  private LogSetup() {}

  public static void configure(Format format, LogLevel level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    configure(context, format, level);
  }

  /**
   * Adds the console appender and levels to {@code context}, which has none yet (freshly reset, or
   * being configured by logback at start-up).
   */
  public static void configure(LoggerContext context, Format format, LogLevel level) {
    Encoder<ILoggingEvent> encoder;
    if (format == Format.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      json.setWithMDC(false);
      encoder = json;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern(PATTERN);
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.name(), Level.INFO));
    root.addAppender(console);
    // The SDK and Netty are chatty at DEBUG, and below INFO they log the wire: signed request
    // headers and every byte of an upload (a backup). TRACE lets their INFO through, no more.
    Level libraries = level == LogLevel.TRACE ? Level.INFO : Level.WARN;
    for (String noisy : new String[] {"software.amazon", "io.netty", "org.gaul", "org.eclipse"}) {
      context.getLogger(noisy).setLevel(libraries);
    }
    // When the SDK's Netty client closes after a run, a listener of its connection pool may find
    // the event loop already gone and Netty warns with a stack trace ("event executor
    // terminated"): every request was done by then, so a tired operator must not read it as one.
    context.getLogger("io.netty.util.concurrent.DefaultPromise").setLevel(Level.ERROR);
  }
}
