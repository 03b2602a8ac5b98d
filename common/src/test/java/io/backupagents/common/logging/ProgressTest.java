package io.backupagents.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void aHeartbeatPrintsAtEveryIntervalWhileNothingMovesAndStopsWhenClosed() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Progress progress =
        new Progress("pg_dump of shop", 0, Clock.systemUTC(), Duration.ofMillis(50), lines::add);
    progress.add(2048);
    lines.clear();

    Progress.Heartbeat beat = progress.heartbeat();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (lines.size() < 3) {
        assertThat(System.nanoTime()).as("heartbeat lines: %s", lines).isLessThan(deadline);
        Thread.sleep(10);
      }
    } finally {
      beat.close();
    }
    Thread.sleep(50);
    int afterClose = lines.size();
    Thread.sleep(300);

    assertThat(lines).allMatch(line -> line.startsWith("pg_dump of shop: 2.0 KiB, "));
    assertThat(lines).hasSize(afterClose);
  }
}
