package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * rclone's mtime before 1970 and at the ends of its range: the exact signed decimal value, read
 * back exactly in rclone's form and ours, and no time at all where rclone has none.
 */
class RcloneMetadataMtimeRangeTest {

  /** 1960-06-15T12:00:00.25Z, which is -301233599.75 seconds since the epoch. */
  private static final Instant PRE_1970 = Instant.ofEpochSecond(-301_233_600L, 250_000_000);

  @Test
  void timesBefore1970AreWrittenAsTheirExactSignedDecimalValue() {
    assertThat(RcloneMetadata.formatMtime(PRE_1970)).isEqualTo("-301233599.750000000");
    assertThat(RcloneMetadata.formatMtime(Instant.ofEpochSecond(-1, 750_000_000)))
        .isEqualTo("-0.250000000");
    assertThat(RcloneMetadata.formatMtime(Instant.ofEpochSecond(-1, 999_999_999)))
        .isEqualTo("-0.000000001");
    assertThat(RcloneMetadata.formatMtime(Instant.ofEpochSecond(-5))).isEqualTo("-5.000000000");
    assertThat(RcloneMetadata.formatMtime(Instant.EPOCH)).isEqualTo("0.000000000");
  }

  @Test
  void rclonesFormsAndOursAreReadBackExactly() {
    assertThat(RcloneMetadata.parseMtime("-301233599.75")).contains(PRE_1970);
    assertThat(RcloneMetadata.parseMtime("-301233599.750000000")).contains(PRE_1970);
    assertThat(RcloneMetadata.parseMtime("1600000000.123456789"))
        .contains(Instant.ofEpochSecond(1_600_000_000L, 123_456_789));
    assertThat(RcloneMetadata.parseMtime("-0.25")).contains(Instant.ofEpochSecond(-1, 750_000_000));
    assertThat(RcloneMetadata.parseMtime("-.5")).contains(Instant.ofEpochSecond(-1, 500_000_000));
    assertThat(RcloneMetadata.parseMtime("-7")).contains(Instant.ofEpochSecond(-7));
    assertThat(RcloneMetadata.parseMtime("+7.")).contains(Instant.ofEpochSecond(7));
    assertThat(RcloneMetadata.parseMtime(" 1600000000.5 "))
        .contains(Instant.ofEpochSecond(1_600_000_000L, 500_000_000));
  }

  @Test
  void digitsBeyondTheNinthAreCutLikeRcloneDoes() {
    assertThat(RcloneMetadata.parseMtime("1600000000.1234567899"))
        .contains(Instant.ofEpochSecond(1_600_000_000L, 123_456_789));
    assertThat(RcloneMetadata.parseMtime("-0.0000000019"))
        .contains(Instant.ofEpochSecond(-1, 999_999_999));
  }

  @Test
  void everyTimeRcloneCanHoldSurvivesARoundTrip() {
    for (Instant t :
        List.of(
            PRE_1970,
            Instant.ofEpochSecond(-1, 1),
            Instant.ofEpochSecond(0, 1),
            Instant.ofEpochSecond(1_354_040_105L, 5),
            Instant.parse("1677-09-21T00:12:43.145224192Z"),
            Instant.parse("2262-04-11T23:47:16.854775807Z"))) {
      assertThat(RcloneMetadata.parseMtime(RcloneMetadata.formatMtime(t))).as("%s", t).contains(t);
    }
  }

  @Test
  void theEndsOfRclonesRangeAreTimesAndBeyondThemIsNoTime() {
    assertThat(RcloneMetadata.parseMtime("9223372036.854775807"))
        .contains(Instant.parse("2262-04-11T23:47:16.854775807Z"));
    assertThat(RcloneMetadata.parseMtime("-9223372036.854775808"))
        .contains(Instant.parse("1677-09-21T00:12:43.145224192Z"));
    assertThat(RcloneMetadata.parseMtime("9223372036.854775808")).isEmpty();
    assertThat(RcloneMetadata.parseMtime("-9223372036.854775809")).isEmpty();
    assertThat(RcloneMetadata.parseMtime("99999999999999")).isEmpty();
    assertThat(RcloneMetadata.parseMtime("-99999999999999.5")).isEmpty();
    assertThat(RcloneMetadata.parseMtime("1" + "0".repeat(30))).isEmpty();
  }

  @Test
  void whatIsNotAPlainDecimalNumberIsNoTime() {
    for (String text :
        List.of(
            "", " ", "-", "+", ".", "-.", "1e9", "1.5e3", "0x10", "1.2.3", "١٢٣", "NaN", "1,5")) {
      assertThat(RcloneMetadata.parseMtime(text)).as("'%s'", text).isEmpty();
    }
    assertThat(RcloneMetadata.parseMtime(null)).isEmpty();
  }

  @Test
  void anObjectWithAnOutOfRangeMtimeHasNone() {
    RemoteObject o =
        new RemoteObject("k", 1, "\"e\"", Instant.EPOCH, Map.of("Mtime", "99999999999999"));
    assertThat(o.mtime()).isEmpty();
  }
}
