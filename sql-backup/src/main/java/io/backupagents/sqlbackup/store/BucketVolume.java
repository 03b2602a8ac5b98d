package io.backupagents.sqlbackup.store;

import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import java.nio.file.Path;

/**
 * The legacy s3fs mode without the mount: the tiers live in a bucket, and dumps are written to a
 * local temporary directory before their upload.
 */
public record BucketVolume(S3Location location, S3Settings s3, Path tempDir) {}
