package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BandwidthLimitTest {

  @Test
  void transfersBeyondAOneSecondBurstWaitForTheRate() throws InterruptedException {
    BandwidthLimit limit = BandwidthLimit.of(4 << 20);
    long start = System.nanoTime();
    for (int i = 0; i < 12; i++) {
      limit.acquire(1 << 20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // 12 MiB at 4 MiB/s with 4 MiB allowed at once: 2 seconds.
    assertThat(seconds).isBetween(1.8, 3.5);
    assertThat(BandwidthLimit.of(0)).isNull();
  }
}
