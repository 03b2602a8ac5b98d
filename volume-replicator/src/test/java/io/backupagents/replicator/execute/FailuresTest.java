package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.testing.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** How a run's failures read in the log a person has to act on. */
class FailuresTest {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("volume-replicator");

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Test
  void aRunFromAnEmptySourceIntoAnEmptyTargetSaysSo(@TempDir Path dir) throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Map<String, String> env = new HashMap<>();
    env.put("REPLICATE_SOURCE", source.toString());
    env.put("REPLICATE_TARGET", dir.resolve("target").toString());

    // The launcher sets up logging afresh: its console output is what a person reads.
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    Run run;
    try {
      run = Run.of(dir, env);
    } finally {
      System.setOut(original);
    }

    assertThat(run.exitCode()).isZero();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains(
            "WARN  the source holds no files: there was nothing to copy (is it the right one, and"
                + " mounted?)");
  }

  @Test
  void pathsThroughAHeldDirectoryAreShownAsTheEntrysDirectoryAndNamesCannotBreakTheLine() {
    RunStats stats = new RunStats();
    Failures failures = new Failures(stats);
    Entry e = Entry.file("photos/2024/a\nERROR fake.jpg", 1, 0, 0644, 0, 0);

    failures.failed(
        e, "copy failed", new NoSuchFileException("/proc/self/fd/9/.vr-tmp-a.jpg.b363edd4"));
    failures.error("", "cannot list the directory: permission denied");

    assertThat(appender.list.get(0).getFormattedMessage())
        .isEqualTo(
            "photos/2024/a\\#012ERROR fake.jpg: copy failed: NoSuchFileException:"
                + " photos/2024/.vr-tmp-a.jpg.b363edd4");
    assertThat(appender.list.get(1).getFormattedMessage())
        .isEqualTo("./: cannot list the directory: permission denied");
    assertThat(failures.readFailed("")).isTrue();
    assertThat(failures.readFailed("photos/")).isFalse();
    assertThat(failures.errors()).isEqualTo(2);
  }
}
