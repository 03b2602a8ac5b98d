package io.backupagents.sqlbackup.source;

import io.backupagents.common.s3.S3Location;
import java.nio.file.Path;
import java.util.Optional;

/** One place a backup can be read from: a file in a tier directory, or an object in S3. */
public sealed interface BackupCopy {

  /** The backup's size in bytes. */
  long size();

  /** Whether a checksum record ({@code .<name>.sha256}) lies next to it. */
  boolean hasChecksum();

  /** Where it is, for logs and listings: its tier directory or S3 prefix. */
  String where();

  /** A file on a mounted volume, e.g. {@code /backup/hourly/backup-...sql.gz}. */
  record Local(Path file, long size, Optional<Path> checksum) implements BackupCopy {
    @Override
    public boolean hasChecksum() {
      return checksum.isPresent();
    }

    @Override
    public String where() {
      return String.valueOf(file.getParent());
    }
  }

  /** An object in the off-site bucket, e.g. {@code s3://bucket/prefix/hourly/backup-...sql.gz}. */
  record Remote(S3Location location, String key, long size, Optional<String> checksumKey)
      implements BackupCopy {
    @Override
    public boolean hasChecksum() {
      return checksumKey.isPresent();
    }

    @Override
    public String where() {
      int slash = key.lastIndexOf('/');
      return "s3://" + location.bucket() + "/" + (slash < 0 ? "" : key.substring(0, slash));
    }
  }
}
