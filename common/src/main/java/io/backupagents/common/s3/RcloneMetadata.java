package io.backupagents.common.s3;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

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

  private RcloneMetadata() {}

  /** Seconds since the epoch with nine fractional digits, as rclone writes it. */
  public static String formatMtime(Instant time) {
    return String.format("%d.%09d", time.getEpochSecond(), time.getNano());
  }

  /** Parses rclone's mtime: a decimal number of seconds with up to nine fractional digits. */
  public static Optional<Instant> parseMtime(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      BigDecimal seconds = new BigDecimal(text.trim());
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Optional.of(Instant.ofEpochSecond(whole, nanos));
    } catch (NumberFormatException | ArithmeticException e) {
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
