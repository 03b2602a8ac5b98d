package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RcloneMetadataTest {

  @Test
  void mtimeIsSecondsWithNineFractionalDigits() {
    assertThat(RcloneMetadata.formatMtime(Instant.ofEpochSecond(1354040105, 123456789)))
        .isEqualTo("1354040105.123456789");
    assertThat(RcloneMetadata.formatMtime(Instant.ofEpochSecond(1354040105, 5)))
        .isEqualTo("1354040105.000000005");
  }

  @Test
  void parsesShorterFractionsAndWholeSeconds() {
    assertThat(RcloneMetadata.parseMtime("1354040105.5"))
        .contains(Instant.ofEpochSecond(1354040105, 500_000_000));
    assertThat(RcloneMetadata.parseMtime("1354040105")).contains(Instant.ofEpochSecond(1354040105));
    assertThat(RcloneMetadata.parseMtime("yesterday")).isEmpty();
  }

  @Test
  void md5ComesFromPlainEtagOrFromMd5chksumForMultipart() {
    assertThat(RcloneMetadata.md5Hex("\"5d41402abc4b2a76b9719d911017c592\"", Map.of()))
        .contains("5d41402abc4b2a76b9719d911017c592");
    assertThat(RcloneMetadata.md5Hex("\"abc-3\"", Map.of())).isEmpty();
    assertThat(RcloneMetadata.md5Hex("\"abc-3\"", Map.of("Md5chksum", "XUFAKrxLKna5cZ2REBfFkg==")))
        .contains("5d41402abc4b2a76b9719d911017c592");
  }
}
