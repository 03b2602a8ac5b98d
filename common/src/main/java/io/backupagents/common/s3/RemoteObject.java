package io.backupagents.common.s3;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An object as a listing or a HEAD shows it. Listings carry no user metadata (empty map); HEAD and
 * GET do.
 */
public record RemoteObject(
    String key, long size, String etag, Instant lastModified, Map<String, String> metadata) {

  public RemoteObject {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** rclone's modification time, when the metadata carries it. */
  public Optional<Instant> mtime() {
    return RcloneMetadata.mtime(metadata);
  }

  /** The content MD5 as hex, from a plain ETag or rclone's md5chksum metadata. */
  public Optional<String> md5Hex() {
    return RcloneMetadata.md5Hex(etag, metadata);
  }
}
