package io.backupagents.replicator.scan;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Lists a directory tree depth-first in {@link KeyOrder}: each directory's entries are read and
 * {@code lstat}ed, sorted (a directory sorts as {@code name/}), and emitted with each
 * sub-directory's subtree right after it. Listings of the next sub-directories are read ahead in
 * parallel, within {@code parallelism} at once, so a slow (NFS) volume is read with many requests
 * in flight while the output stays in order. Symlinks are never followed.
 */
public final class DirectoryScanner {

  private static final int SPLIT = 2048;

  private final Path root;
  private final PathFilter filter;
  private final int parallelism;
  private final ScanEvents events;
  private final Semaphore permits;

  public DirectoryScanner(Path root, PathFilter filter, int parallelism, ScanEvents events) {
    this.root = root;
    this.filter = filter;
    this.parallelism = Math.max(1, parallelism);
    this.events = events;
    this.permits = new Semaphore(this.parallelism, true);
  }

  /** Starts the scan; the first entry is the root itself (key ""). */
  public Listing open(String name) {
    return Listing.start(name, this::produce);
  }

  private void produce(Listing.Writer out) throws Exception {
    if (!Files.exists(root)) {
      out.rootMissing();
      return;
    }
    if (!Files.isDirectory(root)) {
      throw new AgentException(ExitCode.BAD_SETTINGS, root + " is not a directory");
    }
    Path real = root.toRealPath();
    FileStats.Stat s = FileStats.stat(real);
    out.add(Entry.directory("", mtime(real, "", s), s.mode(), s.uid(), s.gid()));
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      walk(out, readers, root, read(root, ""));
    }
  }

  private void walk(Listing.Writer out, ExecutorService readers, Path dir, List<Entry> children)
      throws Exception {
    List<Entry> subdirs = new ArrayList<>();
    for (Entry e : children) {
      if (e.isDirectory()) {
        subdirs.add(e);
      }
    }
    List<CompletableFuture<List<Entry>>> ahead = new ArrayList<>(subdirs.size());
    for (int i = 0; i < Math.min(parallelism, subdirs.size()); i++) {
      ahead.add(readAhead(readers, dir, subdirs.get(i)));
    }
    int next = 0;
    for (Entry e : children) {
      if (out.cancelled()) {
        return;
      }
      out.add(e);
      if (!e.isDirectory()) {
        continue;
      }
      int more = next + parallelism;
      if (more < subdirs.size()) {
        ahead.add(readAhead(readers, dir, subdirs.get(more)));
      }
      List<Entry> grandchildren = ahead.get(next).join();
      ahead.set(next, null);
      next++;
      walk(out, readers, dir.resolve(name(e)), grandchildren);
    }
  }

  private CompletableFuture<List<Entry>> readAhead(ExecutorService readers, Path dir, Entry sub) {
    Path path = dir.resolve(name(sub));
    return CompletableFuture.supplyAsync(
        () -> {
          permits.acquireUninterruptibly();
          try {
            return read(path, sub.key());
          } finally {
            permits.release();
          }
        },
        readers);
  }

  /** Reads and sorts one directory; unreadable directories are reported and read as empty. */
  List<Entry> read(Path dir, String dirKey) {
    List<Path> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        names.add(p);
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      events.warning(dirKey, "vanished while being listed");
      return List.of();
    } catch (AccessDeniedException e) {
      events.error(dirKey, "cannot list the directory: permission denied");
      return List.of();
    } catch (IOException e) {
      events.error(dirKey, "cannot list the directory: " + e);
      return List.of();
    }
    List<Entry> entries =
        names.size() > SPLIT ? statInParallel(names, dirKey) : stat(names, dirKey);
    int from = dirKey.length(); // every key starts with the directory's
    entries.sort((a, b) -> KeyOrder.compare(a.key(), b.key(), from));
    return entries;
  }

  private List<Entry> statInParallel(List<Path> names, String dirKey) {
    int chunk = (names.size() + parallelism - 1) / parallelism;
    List<CompletableFuture<List<Entry>>> parts = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int from = 0; from < names.size(); from += chunk) {
        List<Path> part = names.subList(from, Math.min(names.size(), from + chunk));
        parts.add(CompletableFuture.supplyAsync(() -> stat(part, dirKey), pool));
      }
    }
    List<Entry> all = new ArrayList<>(names.size());
    parts.forEach(p -> all.addAll(p.join()));
    return all;
  }

  private List<Entry> stat(List<Path> paths, String dirKey) {
    List<Entry> entries = new ArrayList<>(paths.size());
    for (Path p : paths) {
      Entry e = entry(p, dirKey);
      if (e != null) {
        entries.add(e);
      }
    }
    return entries;
  }

  private Entry entry(Path p, String dirKey) {
    String name = p.getFileName().toString();
    String path = dirKey + name;
    if (name.indexOf('\uFFFD') >= 0 && !p.getParent().resolve(name).equals(p)) {
      events.error(
          path,
          "the name is not valid UTF-8: it cannot be copied or deleted, and it keeps this run from"
              + " deleting anything; rename it (in "
              + root
              + ")");
      return null;
    }
    try {
      FileStats.Stat s = FileStats.stat(p);
      boolean dir = s.kind() == Entry.Kind.DIRECTORY;
      if (filter.excludes(path, dir)) {
        return null;
      }
      long mtime = mtime(p, path, s);
      return switch (s.kind()) {
        case DIRECTORY -> Entry.directory(path + "/", mtime, s.mode(), s.uid(), s.gid());
        case SYMLINK ->
            Entry.symlink(path, Files.readSymbolicLink(p).toString(), mtime, s.uid(), s.gid());
        case FILE -> Entry.file(path, s.size(), mtime, s.mode(), s.uid(), s.gid());
        case SPECIAL ->
            new Entry(path, Entry.Kind.SPECIAL, 0, mtime, s.mode(), s.uid(), s.gid(), null, null);
      };
    } catch (NoSuchFileException e) {
      return null; // vanished between listing and lstat: as if it had not been there
    } catch (IOException e) {
      events.error(path, "cannot read its attributes: " + e);
      return null;
    }
  }

  /**
   * The modification time {@code s} holds, unless the file system keeps one outside the times an
   * entry holds (ext4 and others store 1901 to 2446): {@link FileStats} then has one of the two
   * values its conversion saturates at, the lower one being {@link Entry#UNKNOWN_TIME}. Such a time
   * saturates at the nearest end of the range instead, and is reported, since a copy gets that end.
   */
  private long mtime(Path p, String key, FileStats.Stat s) throws IOException {
    if (s.mtimeNanos() != Long.MIN_VALUE && s.mtimeNanos() != Long.MAX_VALUE) {
      return s.mtimeNanos();
    }
    Instant exact = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    long kept = Entry.nanos(exact);
    if (!Entry.inRange(exact)) {
      events.warning(
          key,
          "its modification time "
              + exact
              + " is outside the times this replicator keeps ("
              + Entry.instant(Entry.MIN_TIME)
              + " to "
              + Entry.instant(Entry.MAX_TIME)
              + "): it is compared and copied as "
              + Entry.instant(kept));
    }
    return kept;
  }

  private static String name(Entry dir) {
    String p = dir.path();
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
