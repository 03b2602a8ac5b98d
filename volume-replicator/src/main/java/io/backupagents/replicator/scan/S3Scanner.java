package io.backupagents.replicator.scan;

import io.backupagents.common.launch.Threads;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.manifest.ManifestReader;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Lists the objects under an S3 location as entries (keys relative to the location, in the store's
 * key order), taking modification times from the location's manifest where it vouches for them. For
 * directory targets it also emits the directories the keys imply and refuses keys that could not be
 * files under a directory.
 *
 * <p>A listing is a chain of pages, each waiting for the previous one's continuation token. When
 * the manifest knows the keys, the key space is cut into ranges of a page each, ending at a key the
 * manifest names, that are listed in parallel and emitted in order: an unchanged range costs one
 * request (its listing stops at its last key), and a range that gained keys one more.
 */
public final class S3Scanner {

  /** Keys per range: what a page of ListObjectsV2 holds. */
  public static final int RANGE = 1000;

  /** How the listing will be used. */
  public record Options(boolean forDirectoryTarget, Optional<String> skipPrefix, int parallelism) {}

  /**
   * Lists objects under a prefix after a key (null: from the start), in key order, page by page,
   * until the sink returns false; returns the requests made.
   */
  @FunctionalInterface
  public interface ObjectLister {
    int list(String prefix, String startAfter, Predicate<RemoteObject> sink);
  }

  private final ObjectLister lister;
  private final S3Location location;
  private final PathFilter filter;
  private final ManifestReader manifest;
  private final Options options;
  private final ScanEvents events;
  private final AtomicInteger listRequests = new AtomicInteger();

  public S3Scanner(
      ObjectLister lister,
      S3Location location,
      PathFilter filter,
      ManifestReader manifest,
      Options options,
      ScanEvents events) {
    this.lister = lister;
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
    List<String> splits = manifest.splitKeys(RANGE);
    String[] lastDir = {""};
    if (splits.isEmpty() || options.parallelism() < 2) {
      InterruptedException[] stop = {null};
      listRequests.addAndGet(
          lister.list(
              location.listPrefix(),
              null,
              o -> {
                try {
                  accept(o, out, lastDir);
                  return !out.cancelled();
                } catch (InterruptedException e) {
                  stop[0] = e;
                  return false;
                }
              }));
      if (stop[0] != null) {
        throw stop[0];
      }
      return;
    }
    inRanges(splits, out, lastDir);
  }

  /** Lists the ranges between the split keys in parallel, a window ahead, emitting in order. */
  private void inRanges(List<String> splits, Listing.Writer out, String[] lastDir)
      throws Exception {
    int ranges = splits.size() + 1;
    List<CompletableFuture<List<RemoteObject>>> pending = new ArrayList<>(ranges);
    try (ExecutorService pool = Threads.pool("list")) {
      for (int i = 0; i < ranges; i++) {
        pending.add(null);
      }
      for (int i = 0; i < Math.min(options.parallelism(), ranges); i++) {
        pending.set(i, range(pool, splits, i));
      }
      for (int i = 0; i < ranges && !out.cancelled(); i++) {
        int ahead = i + options.parallelism();
        if (ahead < ranges) {
          pending.set(ahead, range(pool, splits, ahead));
        }
        List<RemoteObject> objects = pending.get(i).join();
        pending.set(i, null);
        for (RemoteObject o : objects) {
          accept(o, out, lastDir);
        }
      }
    }
  }

  private CompletableFuture<List<RemoteObject>> range(
      ExecutorService pool, List<String> splits, int i) {
    String after = i == 0 ? null : location.key(splits.get(i - 1));
    String last = i == splits.size() ? null : splits.get(i);
    return CompletableFuture.supplyAsync(
        () -> {
          List<RemoteObject> objects = new ArrayList<>(RANGE + 16);
          listRequests.addAndGet(
              lister.list(
                  location.listPrefix(),
                  after,
                  o -> {
                    String key = location.relativize(o.key()).orElse(null);
                    int order = last == null || key == null ? -1 : KeyOrder.compare(key, last);
                    if (order > 0) {
                      return false;
                    }
                    objects.add(o);
                    return order < 0; // the range's last key ends it without another page
                  }));
          return objects;
        },
        pool);
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
