package io.backupagents.replicator.execute;

import io.backupagents.common.s3.RcloneMetadata;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.S3Scanner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes objects under a target S3 location the way rclone does: key = path relative to the
 * location, modification time in {@code X-Amz-Meta-Mtime}, {@code X-Amz-Meta-Md5chksum} on
 * multipart objects (both by {@link S3Store}).
 */
public final class S3Target implements TargetSide {

  private final S3Store store;
  private final S3Location location;
  private final RunStats stats;

  public S3Target(S3Store store, S3Location location, RunStats stats) {
    this.store = store;
    this.location = location;
    this.stats = stats;
  }

  public S3Store store() {
    return store;
  }

  public S3Location location() {
    return location;
  }

  public String objectKey(Entry e) {
    return location.key(e.key());
  }

  /** Uploads a local file under {@code s}'s key; returns the object as a listing will show it. */
  public Entry upload(Path file, Entry s) throws IOException {
    stats.s3Puts.increment();
    RemoteObject o = store.upload(file, objectKey(s), s.mtime());
    return Entry.object(s.key(), s.size(), s.mtimeNanos(), S3Scanner.etag(o.etag()));
  }

  /**
   * Copies an object of the source location server-side. Objects without rclone's mtime get it from
   * their Last-Modified time, so the copy compares equal to its source next time; such a copy
   * replaces the metadata, and the store first reads the source's Content-Type and other headers
   * with a HEAD of its own, to send them again.
   */
  public Entry copyFrom(S3Source source, S3Source.HeadResult head) {
    stats.s3Copies.increment();
    Entry s = head.entry();
    Map<String, String> metadata = null;
    if (head.object().mtime().isEmpty() || s.size() > (5L << 30)) {
      metadata = withMtime(head.object().metadata(), s.mtime());
      stats.s3Heads.increment();
    }
    RemoteObject o =
        store.copy(source.store().bucket(), source.objectKey(s), s.size(), objectKey(s), metadata);
    return Entry.object(s.key(), s.size(), s.mtimeNanos(), S3Scanner.etag(o.etag()));
  }

  public Optional<S3Source.HeadResult> head(Entry t) {
    stats.s3Heads.increment();
    return store.head(objectKey(t)).map(o -> S3Source.HeadResult.of(t.key(), o));
  }

  /**
   * Sets a new modification time on an object whose data is right: a copy onto itself that replaces
   * its user metadata and keeps its Content-Type, other content headers and storage class (the
   * store reads them with a HEAD of its own and sends them again, as rclone does).
   */
  public Entry updateTime(S3Source.HeadResult head, long mtimeNanos) {
    stats.s3Heads.increment();
    stats.s3Copies.increment();
    Entry t = head.entry();
    Map<String, String> metadata =
        withMtime(head.object().metadata(), t.withMtime(mtimeNanos).mtime());
    String key = objectKey(t);
    RemoteObject o = store.copy(store.bucket(), key, t.size(), key, metadata);
    return Entry.object(t.key(), t.size(), mtimeNanos, S3Scanner.etag(o.etag()));
  }

  private static Map<String, String> withMtime(Map<String, String> metadata, Instant mtime) {
    Map<String, String> m = new HashMap<>(metadata);
    m.keySet().removeIf(k -> k.equalsIgnoreCase(RcloneMetadata.MTIME));
    m.put(RcloneMetadata.MTIME, RcloneMetadata.formatMtime(mtime));
    return m;
  }

  /** Deletes objects by relative key, in batches. */
  public void delete(List<String> relativeKeys) {
    if (relativeKeys.isEmpty()) {
      return;
    }
    stats.s3Deletes.add((relativeKeys.size() + 999) / 1000);
    store.delete(relativeKeys.stream().map(location::key).toList());
  }
}
