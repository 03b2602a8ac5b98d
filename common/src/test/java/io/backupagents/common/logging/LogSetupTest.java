package io.backupagents.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

  @AfterEach
  void restorePlainLogging() {
    LogSetup.configure(LogSetup.Format.PLAIN, LogSetup.LogLevel.INFO);
  }

  @Test
  void jsonFormatWritesOneParsableObjectPerLine() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogSetup.configure(LogSetup.Format.JSON, LogSetup.LogLevel.INFO);
      LoggerFactory.getLogger("backup").info("dump of {} finished", "frag \"quoted\"");
      LoggerFactory.getLogger("backup").debug("not shown at info");
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode node = new ObjectMapper().readTree(lines[0]);
    assertThat(node.get("level").asText()).isEqualTo("INFO");
    assertThat(node.get("formattedMessage").asText()).isEqualTo("dump of frag \"quoted\" finished");
  }

  @Test
  void traceNeverLetsTheLibrariesLogTheWire() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogSetup.configure(LogSetup.Format.PLAIN, LogSetup.LogLevel.TRACE);
      LoggerFactory.getLogger("backup").trace("the agent's own trace");
      LoggerFactory.getLogger("io.netty.handler.logging.LoggingHandler").debug("hex dump");
      LoggerFactory.getLogger("software.amazon.awssdk.request").debug("Authorization: AWS4");
      LoggerFactory.getLogger("software.amazon.awssdk.core").info("an SDK notice");
      LoggerFactory.getLogger("io.netty.util.concurrent.DefaultPromise")
          .warn("An exception was thrown by a listener: event executor terminated");
    } finally {
      System.setOut(original);
      LogSetup.configure(LogSetup.Format.PLAIN, LogSetup.LogLevel.INFO);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("the agent's own trace", "an SDK notice")
        .doesNotContain("hex dump", "Authorization", "event executor terminated");
  }

  @Test
  void progressLinesShowDoneTotalRateAndEta() {
    List<String> lines = new ArrayList<>();
    MutableClock clock = new MutableClock();
    Progress progress =
        new Progress("restore", 4L << 30, clock, Duration.ofSeconds(10), lines::add);
    clock.advance(Duration.ofSeconds(5));
    progress.add(1L << 30);
    assertThat(lines).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    progress.add(1L << 30);
    assertThat(lines).containsExactly("restore: 2.0 GiB of 4.0 GiB (50%), 204.8 MiB/s, ETA 0:10");
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
