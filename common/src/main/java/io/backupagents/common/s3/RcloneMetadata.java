package io.backupagents.common.s3;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user metadata rclone writes on S3 objects, so that buckets are interchangeable with it: the
 * modification time in {@code X-Amz-Meta-Mtime} and, for multipart objects whose ETag is not an
 * MD5, the content MD5 in {@code X-Amz-Meta-Md5chksum}.
 *
 * @see <a href="https://rclone.org/s3/#modification-times-and-hashes">rclone: S3 metadata</a>
 */
public final class RcloneMetadata {

  /** User metadata key (the SDK adds the {@code x-amz-meta-} prefix). */
  public static final String MTIME = "mtime";

  public static final String MD5 = "md5chksum";

  private static final Logger log = LoggerFactory.getLogger(RcloneMetadata.class);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Sign, whole seconds and fraction; either part of the number may be empty, not both. */
  private static final Pattern DECIMAL = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?");

  private RcloneMetadata() {}

  /**
   * The exact decimal value of {@code time} in seconds since the epoch, with nine fractional
   * digits: {@code 1600000000.123456789}, or {@code -301233599.750000000} for
   * 1960-06-15T12:00:00.25Z (a quarter of a second <em>after</em> -301233600, so three quarters
   * short of -301233599). rclone writes the same value without the trailing zeros and reads both.
   */
  public static String formatMtime(Instant time) {
    return BigDecimal.valueOf(time.getEpochSecond())
        .add(BigDecimal.valueOf(time.getNano(), 9))
        .toPlainString();
  }

  /**
   * Parses an mtime as rclone does: an optional sign, decimal digits, and a fraction of which the
   * first nine digits count. Like rclone, it reads the value as nanoseconds since the epoch in a
   * signed 64-bit integer, so a time before 1677-09-21 or after 2262-04-11 is no time, nor is an
   * exponent or anything else: the caller falls back to the object's Last-Modified, as rclone does.
   *
   * @see <a href="https://github.com/ncw/swift/blob/master/meta.go">swift.FloatStringToTime</a>,
   *     which rclone's S3 backend reads the mtime with (falling back to Last-Modified on an error)
   */
  public static Optional<Instant> parseMtime(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = DECIMAL.matcher(text.strip());
    String fraction = m.matches() && m.group(3) != null ? m.group(3) : "";
    if (!m.matches() || (m.group(2).isEmpty() && fraction.isEmpty())) {
      log.debug("ignoring the mtime metadata {}: not a decimal number of seconds", text);
      return Optional.empty();
    }
    String nineDigits = (fraction + "000000000").substring(0, 9);
    try {
      long nanos = Long.parseLong(m.group(1) + m.group(2) + nineDigits);
      return Optional.of(
          Instant.ofEpochSecond(
              Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND)));
    } catch (NumberFormatException e) {
      log.debug("ignoring the mtime metadata {}: outside 1677-09-21 to 2262-04-11", text);
      return Optional.empty();
    }
  }

  /** The mtime from an object's user metadata (keys are case-insensitive). */
  public static Optional<Instant> mtime(Map<String, String> userMetadata) {
    return lookup(userMetadata, MTIME).flatMap(RcloneMetadata::parseMtime);
  }

  /**
   * The content MD5 of an object as lower-case hex: from the ETag when it is a plain MD5 (single
   * part upload without SSE-KMS), otherwise from the md5chksum metadata, if any.
   */
  public static Optional<String> md5Hex(String etag, Map<String, String> userMetadata) {
    Optional<String> fromMeta =
        lookup(userMetadata, MD5)
            .flatMap(
                b64 -> {
                  try {
                    return Optional.of(HexFormat.of().formatHex(Base64.getDecoder().decode(b64)));
                  } catch (IllegalArgumentException e) {
                    return Optional.empty();
                  }
                });
    return fromMeta.or(() -> plainMd5Etag(etag));
  }

  /** The ETag as an MD5 when it is one (32 hex digits, no "-N" multipart suffix). */
  public static Optional<String> plainMd5Etag(String etag) {
    if (etag == null) {
      return Optional.empty();
    }
    String bare = etag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
    return bare.matches("[0-9a-f]{32}") ? Optional.of(bare) : Optional.empty();
  }

  private static Optional<String> lookup(Map<String, String> metadata, String key) {
    if (metadata == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return Optional.ofNullable(e.getValue());
      }
    }
    return Optional.empty();
  }
}
