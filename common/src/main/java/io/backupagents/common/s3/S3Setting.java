package io.backupagents.common.s3;

import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;

/** Connection settings for an S3-compatible store, shared by both agents. */
public enum S3Setting implements SettingDefinition {
  S3_ENDPOINT(
      Setting.of("S3_ENDPOINT", null, "S3 endpoint URL; empty for AWS")
          .withAliases("RCLONE_S3_ENDPOINT")),
  S3_PROVIDER(
      Setting.of(
              "S3_PROVIDER",
              "AWS",
              "store type, e.g. AWS, Ceph, Minio, Other; any but AWS selects path-style addressing")
          .withAliases("RCLONE_S3_PROVIDER")),
  S3_FORCE_PATH_STYLE(
      Setting.of(
          "S3_FORCE_PATH_STYLE",
          null,
          "yes/no: override path-style addressing (default: yes for non-AWS providers or a custom endpoint)")),
  S3_REGION(
      Setting.of("S3_REGION", "us-east-1", "region for signing requests")
          .withAliases("AWS_DEFAULT_REGION", "AWS_REGION")),
  S3_ACCESS_KEY_ID(
      Setting.of("S3_ACCESS_KEY_ID", null, "access key id")
          .asSecret()
          .withAliases("AWS_ACCESS_KEY_ID")),
  S3_SECRET_ACCESS_KEY(
      Setting.of("S3_SECRET_ACCESS_KEY", null, "secret access key")
          .asSecret()
          .withAliases("AWS_SECRET_ACCESS_KEY")),
  S3_CHECKSUM_MODE(
      Setting.of(
          "S3_CHECKSUM_MODE",
          "when_required",
          "when_required (Ceph RGW and older stores) or when_supported (the SDK's newer CRC checksum headers); Content-MD5 is always sent")),
  S3_NO_CHECK_CERTIFICATE(
      Setting.of(
              "S3_NO_CHECK_CERTIFICATE",
              "no",
              "yes: do not verify the endpoint's TLS certificate (logged as a warning on every run)")
          .withAliases("USE_RCLONE_NO_CHECK_CERTIFICATE")),
  S3_SSE(
      Setting.of(
          "S3_SSE", "none", "server-side encryption: none, aes256 (SSE-S3) or aws_kms (SSE-KMS)")),
  S3_SSE_KMS_KEY_ID(Setting.of("S3_SSE_KMS_KEY_ID", null, "KMS key id for S3_SSE=aws_kms")),
  S3_STORAGE_CLASS(
      Setting.of("S3_STORAGE_CLASS", null, "storage class for new objects, e.g. STANDARD_IA")),
  S3_MAX_CONNECTIONS(
      Setting.of("S3_MAX_CONNECTIONS", "64", "most HTTP connections open to the store at once")),
  S3_MULTIPART_THRESHOLD(
      Setting.of(
          "S3_MULTIPART_THRESHOLD",
          "200M",
          "files larger than this are uploaded in parts (rclone's upload cutoff is 200M)")),
  S3_PART_SIZE(
      Setting.of(
          "S3_PART_SIZE", "16M", "part size for multipart uploads (grown for very large files)")),
  S3_MAX_ATTEMPTS(
      Setting.of(
          "S3_MAX_ATTEMPTS",
          "6",
          "attempts per request, with backoff, on 5xx, SlowDown, RequestTimeout and network errors"));

  private final Setting setting;

  S3Setting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }
}
