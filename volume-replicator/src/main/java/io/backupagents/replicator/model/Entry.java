package io.backupagents.replicator.model;

import java.time.Instant;

/**
 * One entry of a listing. {@code key} is the path relative to the root, with a trailing {@code /}
 * for directories (the root itself is the empty key), so that sorting keys as strings puts a
 * directory right before its contents, the way S3 lists keys.
 *
 * <p>Attributes a side does not have are {@link #UNKNOWN}: S3 objects have no mode or owner, and
 * their modification time is unknown until a manifest or a HEAD supplies it. {@code etag} is set
 * for S3 objects only. Kept small on purpose: a run holds only a window of entries at a time.
 */
public record Entry(
    String key,
    Kind kind,
    long size,
    long mtimeNanos,
    int mode,
    int uid,
    int gid,
    String linkTarget,
    String etag) {

  /** Marks an attribute a side does not know. */
  public static final int UNKNOWN = -1;

  /** Marks an unknown modification time. */
  public static final long UNKNOWN_TIME = Long.MIN_VALUE;

  /**
   * The earliest time an entry holds, 1677-09-21T00:12:43.145224193Z: times are nanoseconds since
   * the epoch in a long, whose lowest value is {@link #UNKNOWN_TIME}. Earlier times saturate here.
   */
  public static final long MIN_TIME = Long.MIN_VALUE + 1;

  /** The latest time an entry holds, 2262-04-11T23:47:16.854775807Z; later times saturate here. */
  public static final long MAX_TIME = Long.MAX_VALUE;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Instant EARLIEST = instant(MIN_TIME);
  private static final Instant LATEST = instant(MAX_TIME);

  /** What an entry is. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** FIFOs, sockets and devices: never copied. */
    SPECIAL
  }

  public static Entry directory(String key, long mtimeNanos, int mode, int uid, int gid) {
    return new Entry(key, Kind.DIRECTORY, 0, mtimeNanos, mode, uid, gid, null, null);
  }

  public static Entry file(String key, long size, long mtimeNanos, int mode, int uid, int gid) {
    return new Entry(key, Kind.FILE, size, mtimeNanos, mode, uid, gid, null, null);
  }

  public static Entry symlink(String key, String target, long mtimeNanos, int uid, int gid) {
    return new Entry(key, Kind.SYMLINK, target.length(), mtimeNanos, 0777, uid, gid, target, null);
  }

  /** An S3 object; {@code mtimeNanos} from a manifest or {@link #UNKNOWN_TIME}. */
  public static Entry object(String key, long size, long mtimeNanos, String etag) {
    return new Entry(key, Kind.FILE, size, mtimeNanos, UNKNOWN, UNKNOWN, UNKNOWN, null, etag);
  }

  public boolean isDirectory() {
    return kind == Kind.DIRECTORY;
  }

  public boolean hasMtime() {
    return mtimeNanos != UNKNOWN_TIME;
  }

  /** The relative path without the trailing slash of a directory ("" for the root). */
  public String path() {
    return isDirectory() && !key.isEmpty() ? key.substring(0, key.length() - 1) : key;
  }

  /** The key of the directory holding this entry ("" for top-level entries). */
  public String parentKey() {
    return parentKey(key);
  }

  public static String parentKey(String key) {
    int end = key.endsWith("/") ? key.length() - 1 : key.length();
    int slash = key.lastIndexOf('/', end - 1);
    return slash < 0 ? "" : key.substring(0, slash + 1);
  }

  public Instant mtime() {
    return instant(mtimeNanos);
  }

  /** The instant of a time in nanoseconds (whole seconds rounded down, the fraction positive). */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  /**
   * {@code t} in nanoseconds since the epoch, saturated to {@link #MIN_TIME} or {@link #MAX_TIME}
   * when it lies outside them (see {@link #inRange}).
   */
  public static long nanos(Instant t) {
    if (t.isBefore(EARLIEST)) {
      return MIN_TIME;
    }
    if (t.isAfter(LATEST)) {
      return MAX_TIME;
    }
    // In range the sum fits, even in the first second of the range where the product alone does
    // not: long arithmetic wraps modulo 2^64, and the sum wraps back.
    return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
  }

  /** True when {@link #nanos} keeps {@code t} exactly. */
  public static boolean inRange(Instant t) {
    return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
  }

  public Entry withMtime(long nanos) {
    return new Entry(key, kind, size, nanos, mode, uid, gid, linkTarget, etag);
  }

  public Entry withEtag(String newEtag) {
    return new Entry(key, kind, size, mtimeNanos, mode, uid, gid, linkTarget, newEtag);
  }
}
