package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BandwidthLimitTest {

  /** A clock that only moves when the limit sleeps, and remembers each sleep. */
  private static final class FakeTimer implements BandwidthLimit.Timer {
    long now = TimeUnit.HOURS.toNanos(5);
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  @Test
  void transfersBeyondAOneSecondBurstWaitForTheRate() throws InterruptedException {
    FakeTimer timer = new FakeTimer();
    long start = timer.now;
    BandwidthLimit limit = BandwidthLimit.of(4 << 20, timer);
    for (int i = 0; i < 12; i++) {
      limit.acquire(1 << 20);
    }
    // 12 MiB at 4 MiB/s with 4 MiB allowed at once: the first 4 go at once, then each waits for
    // its quarter second: 2 seconds in all.
    assertThat(timer.sleeps).hasSize(8).containsOnly(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(timer.now - start).isEqualTo(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void capacityLeftUnusedCarriesOverForAtMostOneSecond() throws InterruptedException {
    FakeTimer timer = new FakeTimer();
    BandwidthLimit limit = BandwidthLimit.of(1 << 20, timer);
    limit.acquire(1 << 20);
    timer.now += TimeUnit.SECONDS.toNanos(60); // a minute idle saves up one second, not sixty
    limit.acquire(1 << 20);
    assertThat(timer.sleeps).isEmpty();
    limit.acquire(1 << 20);
    assertThat(timer.sleeps).containsExactly(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void noLimitIsNull() {
    assertThat(BandwidthLimit.of(0)).isNull();
  }
}
