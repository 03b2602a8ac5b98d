package io.backupagents.common.s3;

import io.backupagents.common.settings.SettingsReader;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Validated connection settings for an S3-compatible store. */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    ChecksumMode checksumMode,
    boolean verifyTls,
    Encryption encryption,
    Optional<String> kmsKeyId,
    Optional<String> storageClass,
    int maxConnections,
    long multipartThreshold,
    long partSize,
    int maxAttempts) {

  /** When the SDK adds its own checksum headers; Ceph RGW rejects the newer ones. */
  public enum ChecksumMode {
    WHEN_REQUIRED,
    WHEN_SUPPORTED
  }

  /** Server-side encryption of new objects. */
  public enum Encryption {
    NONE,
    AES256,
    AWS_KMS
  }

  /** The smallest part S3 accepts (except the last). */
  public static final long MIN_PART_SIZE = 5L << 20;

  /**
   * Reads the settings; {@code why} says when they are needed, e.g. "when USE_RCLONE is set", and
   * is appended to "is required" problems.
   */
  public static S3Settings read(SettingsReader r, String why) {
    Optional<URI> endpoint = r.uri(S3Setting.S3_ENDPOINT);
    String provider = r.string(S3Setting.S3_PROVIDER);
    boolean aws = provider.equalsIgnoreCase("aws");
    boolean pathStyle =
        r.isSet(S3Setting.S3_FORCE_PATH_STYLE)
            ? r.flag(S3Setting.S3_FORCE_PATH_STYLE)
            : !aws || endpoint.isPresent();
    String accessKey = r.required(S3Setting.S3_ACCESS_KEY_ID, why);
    String secretKey = r.required(S3Setting.S3_SECRET_ACCESS_KEY, why);
    Encryption encryption = r.choice(S3Setting.S3_SSE, Encryption.class);
    Optional<String> kmsKey = r.optional(S3Setting.S3_SSE_KMS_KEY_ID);
    if (kmsKey.isPresent() && encryption != Encryption.AWS_KMS) {
      r.problem("S3_SSE_KMS_KEY_ID is set but S3_SSE is not aws_kms: set S3_SSE=aws_kms");
    }
    long threshold =
        r.bytes(S3Setting.S3_MULTIPART_THRESHOLD, MIN_PART_SIZE, 5L * 1024 * 1024 * 1024);
    long partSize = r.bytes(S3Setting.S3_PART_SIZE, MIN_PART_SIZE, 5L * 1024 * 1024 * 1024);
    return new S3Settings(
        endpoint,
        r.string(S3Setting.S3_REGION).toLowerCase(Locale.ROOT),
        pathStyle,
        accessKey,
        secretKey,
        r.choice(S3Setting.S3_CHECKSUM_MODE, ChecksumMode.class),
        !r.flag(S3Setting.S3_NO_CHECK_CERTIFICATE),
        encryption,
        kmsKey,
        r.optional(S3Setting.S3_STORAGE_CLASS),
        r.integer(S3Setting.S3_MAX_CONNECTIONS, 1, 1024),
        threshold,
        partSize,
        r.integer(S3Setting.S3_MAX_ATTEMPTS, 1, 20));
  }

  /** Never print the keys. */
  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint.map(URI::toString).orElse("AWS")
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", verifyTls="
        + verifyTls
        + ", encryption="
        + encryption
        + "]";
  }
}
