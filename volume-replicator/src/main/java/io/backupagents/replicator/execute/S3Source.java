package io.backupagents.replicator.execute;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.report.RunStats;
import io.backupagents.replicator.scan.S3Scanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads objects of a source S3 location: metadata by HEAD, data by verified GET. */
public final class S3Source implements SourceSide {

  private final S3Store store;
  private final S3Location location;
  private final RunStats stats;

  public S3Source(S3Store store, S3Location location, RunStats stats) {
    this.store = store;
    this.location = location;
    this.stats = stats;
  }

  public S3Store store() {
    return store;
  }

  public String objectKey(Entry e) {
    return location.key(e.key());
  }

  /**
   * The object as a HEAD shows it now, with its modification time: rclone's metadata, or the
   * Last-Modified time for objects that lack it (as rclone reads them).
   */
  public Optional<HeadResult> head(Entry e) {
    stats.s3Heads.increment();
    return store.head(objectKey(e)).map(o -> HeadResult.of(e.key(), o));
  }

  /** Downloads into {@code file} (MD5-verified); returns the object's HEAD view. */
  public HeadResult download(Entry e, Path file) throws IOException {
    stats.s3Gets.increment();
    try {
      RemoteObject o = store.download(objectKey(e), file);
      return HeadResult.of(e.key(), o);
    } catch (AgentException x) {
      if (isMissing(x)) {
        throw new SourceChangedException("vanished before it could be copied");
      }
      throw x;
    }
  }

  static boolean isMissing(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof software.amazon.awssdk.services.s3.model.S3Exception s3
          && s3.statusCode() == 404) {
        return true;
      }
    }
    return false;
  }

  /** What a HEAD (or GET) tells about an object. */
  public record HeadResult(Entry entry, Optional<String> md5Hex, RemoteObject object) {

    static HeadResult of(String relativeKey, RemoteObject o) {
      long mtime =
          o.mtime()
              .map(Entry::nanos)
              .orElse(
                  o.lastModified() == null ? Entry.UNKNOWN_TIME : Entry.nanos(o.lastModified()));
      Entry e = Entry.object(relativeKey, o.size(), mtime, S3Scanner.etag(o.etag()));
      return new HeadResult(e, o.md5Hex(), o);
    }
  }
}
