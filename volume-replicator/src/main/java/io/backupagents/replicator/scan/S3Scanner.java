package io.backupagents.replicator.scan;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.manifest.ManifestReader;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Lists the objects under an S3 location as entries (keys relative to the location, in the store's
 * key order), taking modification times from the location's manifest where it vouches for them. For
 * directory targets it also emits the directories the keys imply and refuses keys that could not be
 * files under a directory.
 */
public final class S3Scanner {

  /** How the listing will be used. */
  public record Options(boolean forDirectoryTarget, Optional<String> skipPrefix) {}

  /** Lists objects under a prefix in key order, page by page; returns the requests made. */
  @FunctionalInterface
  public interface ObjectLister {
    int list(String prefix, Consumer<RemoteObject> sink);
  }

  private final ObjectLister store;
  private final S3Location location;
  private final PathFilter filter;
  private final ManifestReader manifest;
  private final Options options;
  private final ScanEvents events;
  private final AtomicInteger listRequests = new AtomicInteger();

  public S3Scanner(
      ObjectLister store,
      S3Location location,
      PathFilter filter,
      ManifestReader manifest,
      Options options,
      ScanEvents events) {
    this.store = store;
    this.location = location;
    this.filter = filter;
    this.manifest = manifest;
    this.options = options;
    this.events = events;
  }

  /** ListObjectsV2 requests made so far. */
  public int listRequests() {
    return listRequests.get();
  }

  public Listing open(String name) {
    return Listing.start(name, this::produce);
  }

  private void produce(Listing.Writer out) throws Exception {
    String[] lastDir = {""};
    InterruptedException[] interrupted = {null};
    int requests =
        store.list(
            location.listPrefix(),
            object -> {
              if (interrupted[0] != null || out.cancelled()) {
                return;
              }
              try {
                accept(object, out, lastDir);
              } catch (InterruptedException e) {
                interrupted[0] = e;
              }
            });
    listRequests.addAndGet(requests);
    if (interrupted[0] != null) {
      throw interrupted[0];
    }
  }

  private void accept(RemoteObject object, Listing.Writer out, String[] lastDir)
      throws InterruptedException {
    String key = location.relativize(object.key()).orElse(null);
    if (key == null || options.skipPrefix().map(key::startsWith).orElse(false)) {
      return;
    }
    boolean marker = key.endsWith("/");
    if (marker && !options.forDirectoryTarget()) {
      return; // directory markers of other tools: S3 targets keep no directories
    }
    if (options.forDirectoryTarget()) {
      String problem = SafeKeys.problem(key);
      if (problem != null) {
        events.error(key, "refused: this key cannot be a file under the target (" + problem + ")");
        return;
      }
    }
    String path = marker ? key.substring(0, key.length() - 1) : key;
    if (filter.excludesAncestor(path) || filter.excludes(path, marker)) {
      return;
    }
    if (options.forDirectoryTarget()) {
      lastDir[0] = directories(marker ? key : Entry.parentKey(key), lastDir[0], out);
    }
    if (marker) {
      return;
    }
    String etag = etag(object.etag());
    long mtime = manifest.mtime(key, object.size(), etag, object.lastModified());
    out.add(Entry.object(key, object.size(), mtime, etag));
  }

  /** Emits the directories of {@code dirKey} not yet emitted; returns the new current one. */
  private static String directories(String dirKey, String lastDir, Listing.Writer out)
      throws InterruptedException {
    if (dirKey.equals(lastDir)) {
      return lastDir;
    }
    int slash = dirKey.indexOf('/');
    while (slash >= 0) {
      String ancestor = dirKey.substring(0, slash + 1);
      if (!lastDir.startsWith(ancestor)) {
        out.add(
            Entry.directory(
                ancestor, Entry.UNKNOWN_TIME, Entry.UNKNOWN, Entry.UNKNOWN, Entry.UNKNOWN));
      }
      slash = dirKey.indexOf('/', slash + 1);
    }
    return dirKey;
  }

  /** ETags without the quotes S3 puts around them. */
  public static String etag(String raw) {
    if (raw == null) {
      return "";
    }
    return raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
        ? raw.substring(1, raw.length() - 1)
        : raw;
  }
}
