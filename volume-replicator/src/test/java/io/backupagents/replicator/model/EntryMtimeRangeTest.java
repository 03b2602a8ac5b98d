package io.backupagents.replicator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An entry's time in nanoseconds: exact within its range, saturated outside, never unknown. */
class EntryMtimeRangeTest {

  @Test
  void timesBefore1970CountTheirFractionForwardFromTheWholeSecondBefore() {
    Instant pre1970 = Instant.parse("1960-06-15T12:00:00.25Z");
    assertThat(Entry.nanos(pre1970)).isEqualTo(-301_233_599_750_000_000L);
    assertThat(Entry.instant(-301_233_599_750_000_000L)).isEqualTo(pre1970);
    assertThat(Entry.file("f", 1, -1, 0644, 0, 0).mtime())
        .isEqualTo(Instant.ofEpochSecond(-1, 999_999_999));
  }

  @Test
  void timesOutsideTheRangeSaturateAtItsEndsInsteadOfOverflowing() {
    assertThat(Entry.nanos(Instant.ofEpochSecond(99_999_999_999_999L))).isEqualTo(Entry.MAX_TIME);
    assertThat(Entry.nanos(Instant.parse("2446-05-10T22:38:55Z"))).isEqualTo(Entry.MAX_TIME);
    assertThat(Entry.nanos(Instant.MAX)).isEqualTo(Entry.MAX_TIME);
    assertThat(Entry.nanos(Instant.parse("1601-01-01T00:00:00Z"))).isEqualTo(Entry.MIN_TIME);
    assertThat(Entry.nanos(Instant.MIN)).isEqualTo(Entry.MIN_TIME);
    assertThat(Entry.nanos(Instant.parse("1677-09-21T00:12:43.145224192Z")))
        .as("the one value below the range is the unknown time")
        .isEqualTo(Entry.MIN_TIME)
        .isNotEqualTo(Entry.UNKNOWN_TIME);
  }

  @Test
  void theEndsOfTheRangeAreKeptExactly() {
    Instant latest = Instant.parse("2262-04-11T23:47:16.854775807Z");
    Instant earliest = Instant.parse("1677-09-21T00:12:43.145224193Z");
    assertThat(Entry.nanos(latest)).isEqualTo(Long.MAX_VALUE);
    assertThat(Entry.nanos(earliest)).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(Entry.nanos(earliest.plusNanos(999_999_999)))
        .isEqualTo(Long.MIN_VALUE + 1_000_000_000L);
    assertThat(Entry.instant(Entry.MAX_TIME)).isEqualTo(latest);
    assertThat(Entry.instant(Entry.MIN_TIME)).isEqualTo(earliest);
    assertThat(Entry.inRange(latest)).isTrue();
    assertThat(Entry.inRange(earliest)).isTrue();
    assertThat(Entry.inRange(latest.plusNanos(1))).isFalse();
    assertThat(Entry.inRange(earliest.minusNanos(1))).isFalse();
  }
}
