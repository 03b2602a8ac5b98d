package io.backupagents.replicator.scan;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.replicator.config.PathFilter;
import io.backupagents.replicator.fs.DirectoryHandles;
import io.backupagents.replicator.fs.NonBlockingOpen;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.model.KeyOrder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
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
 *
 * <p>Every directory below the root is opened from its parent's descriptor without following a
 * symlink or waiting on a FIFO ({@code openat(O_NOFOLLOW|O_NONBLOCK)}, see {@link
 * NonBlockingOpen}), as the JDK's {@link SecureDirectoryStream} (the parent) opens it, held open
 * until its own sub-directories are, and its entries are {@code lstat}ed relative to it ({@code
 * fstatat}): a directory swapped for a symlink while the scan runs is not listed through it (the
 * names and attributes of what the symlink points to never enter the listing), and no path is
 * walked again from the root for each entry.
 */
public final class DirectoryScanner {

  private static final int SPLIT = 2048;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

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

  /**
   * A directory read: its entries, sorted, and the directory itself, held open until its
   * sub-directories have been opened from it ({@code null} when it could not be read).
   */
  private record Listed(List<Entry> entries, SecureDirectoryStream<Path> held)
      implements AutoCloseable {

    static final Listed NOTHING = new Listed(List.of(), null);

    @Override
    public void close() {
      if (held != null) {
        try {
          held.close();
        } catch (IOException e) {
          // closing a directory descriptor cannot lose data
        }
      }
    }
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
    out.add(
        Entry.directory(
            "", mtime("", s, () -> Files.getLastModifiedTime(real)), s.mode(), s.uid(), s.gid()));
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      walk(out, readers, readRoot());
    }
  }

  private void walk(Listing.Writer out, ExecutorService readers, Listed dir) throws Exception {
    List<Entry> subdirs = new ArrayList<>();
    for (Entry e : dir.entries()) {
      if (e.isDirectory()) {
        subdirs.add(e);
      }
    }
    List<CompletableFuture<Listed>> ahead = new ArrayList<>(subdirs.size());
    try {
      for (int i = 0; i < Math.min(parallelism, subdirs.size()); i++) {
        ahead.add(readAhead(readers, dir, subdirs.get(i)));
      }
      if (subdirs.isEmpty()) {
        dir.close();
      }
      int next = 0;
      for (Entry e : dir.entries()) {
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
        Listed child = ahead.get(next).join();
        ahead.set(next, null);
        next++;
        if (next == subdirs.size()) {
          dir.close(); // every sub-directory has been opened from it
        }
        walk(out, readers, child);
      }
    } finally {
      for (CompletableFuture<Listed> f : ahead) {
        Listed left = f == null ? null : f.handle((listed, failure) -> listed).join();
        if (left != null) {
          left.close();
        }
      }
      dir.close();
    }
  }

  private CompletableFuture<Listed> readAhead(ExecutorService readers, Listed parent, Entry sub) {
    return CompletableFuture.supplyAsync(
        () -> {
          permits.acquireUninterruptibly();
          try {
            return open(parent.held(), sub.key());
          } finally {
            permits.release();
          }
        },
        readers);
  }

  @SuppressWarnings("StreamResourceLeak") // the returned Listed owns the stream; walk closes it
  private Listed readRoot() throws IOException {
    DirectoryStream<Path> stream;
    try {
      stream = Files.newDirectoryStream(root);
    } catch (NoSuchFileException | NotDirectoryException e) {
      events.warning("", "vanished while being listed");
      return Listed.NOTHING;
    } catch (AccessDeniedException e) {
      events.error("", "cannot list the directory: permission denied");
      return Listed.NOTHING;
    } catch (IOException e) {
      events.error("", "cannot list the directory: " + e);
      return Listed.NOTHING;
    }
    if (!(stream instanceof SecureDirectoryStream<Path> held)) {
      stream.close();
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          "cannot hold the directories of "
              + root
              + " open while listing them (needs Linux: a file system the JDK opens directories"
              + " of with openat)");
    }
    return read(held, root, "");
  }

  /**
   * Opens the sub-directory {@code dirKey} of {@code parent} without following a symlink, and reads
   * it; one that cannot be read is reported and read as empty.
   */
  private Listed open(SecureDirectoryStream<Path> parent, String dirKey) {
    String path = dirKey.substring(0, dirKey.length() - 1);
    Path name = root.getFileSystem().getPath(path.substring(path.lastIndexOf('/') + 1));
    SecureDirectoryStream<Path> held;
    try {
      held = NonBlockingOpen.directory(parent, name, root.resolve(path));
    } catch (NoSuchFileException | NotDirectoryException e) {
      events.warning(dirKey, "vanished while being listed");
      return Listed.NOTHING;
    } catch (AccessDeniedException e) {
      events.error(dirKey, "cannot list the directory: permission denied");
      return Listed.NOTHING;
    } catch (IOException e) {
      if (isSymlink(parent, name)) {
        events.warning(
            dirKey, "was replaced by a symlink while being listed: nothing below it is read");
      } else {
        events.error(dirKey, "cannot list the directory: " + e);
      }
      return Listed.NOTHING;
    }
    return read(held, root.resolve(path), dirKey);
  }

  private static boolean isSymlink(SecureDirectoryStream<Path> parent, Path name) {
    try {
      return FileStats.kind(
              parent
                  .getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                  .readAttributes())
          == Entry.Kind.SYMLINK;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads and sorts the directory {@code held} holds open, the tree's {@code dirKey}; {@code dir}
   * is its path, for the attribute views of file systems other than the default one.
   */
  private Listed read(SecureDirectoryStream<Path> held, Path dir, String dirKey) {
    List<Path> names = new ArrayList<>();
    try {
      for (Path p : held) {
        names.add(p);
      }
    } catch (DirectoryIteratorException e) {
      events.error(dirKey, "cannot list the directory: " + e.getCause());
      return new Listed(List.of(), held);
    }
    Directory in = new Directory(held, dir, dirKey);
    List<Entry> entries = names.size() > SPLIT ? statInParallel(names, in) : stat(names, in);
    int from = dirKey.length(); // every key starts with the directory's
    entries.sort((a, b) -> KeyOrder.compare(a.key(), b.key(), from));
    return new Listed(entries, held);
  }

  /** A directory whose entries are being read. */
  private record Directory(SecureDirectoryStream<Path> held, Path path, String key) {}

  private List<Entry> statInParallel(List<Path> names, Directory in) {
    int chunk = (names.size() + parallelism - 1) / parallelism;
    List<CompletableFuture<List<Entry>>> parts = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int from = 0; from < names.size(); from += chunk) {
        List<Path> part = names.subList(from, Math.min(names.size(), from + chunk));
        parts.add(CompletableFuture.supplyAsync(() -> stat(part, in), pool));
      }
    }
    List<Entry> all = new ArrayList<>(names.size());
    parts.forEach(p -> all.addAll(p.join()));
    return all;
  }

  private List<Entry> stat(List<Path> paths, Directory in) {
    List<Entry> entries = new ArrayList<>(paths.size());
    for (Path p : paths) {
      Entry e = entry(p, in);
      if (e != null) {
        entries.add(e);
      }
    }
    return entries;
  }

  /** {@code p}: an entry as the directory's stream names it (only its last name is used). */
  private Entry entry(Path p, Directory in) {
    Path fileName = p.getFileName();
    String name = fileName.toString();
    String path = in.key() + name;
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
      FileStats.Stat s = FileStats.stat(in.held(), fileName, in.path());
      boolean dir = s.kind() == Entry.Kind.DIRECTORY;
      if (filter.excludes(path, dir)) {
        return null;
      }
      long mtime = mtime(path, s, () -> FileStats.modified(in.held(), fileName));
      return switch (s.kind()) {
        case DIRECTORY -> Entry.directory(path + "/", mtime, s.mode(), s.uid(), s.gid());
        case SYMLINK -> Entry.symlink(path, linkTarget(in, fileName), mtime, s.uid(), s.gid());
        case FILE -> Entry.file(path, s.size(), mtime, s.mode(), s.uid(), s.gid());
        case SPECIAL ->
            new Entry(path, Entry.Kind.SPECIAL, 0, mtime, s.mode(), s.uid(), s.gid(), null, null);
      };
    } catch (NoSuchFileException e) {
      return null; // vanished between listing and lstat: as if it had not been there
    } catch (IOException e) {
      events.error(
          path, "cannot read its attributes: " + DirectoryHandles.shown(e.toString(), in.key()));
      return null;
    }
  }

  /** What a symlink holds, read through its directory's descriptor (by path on Jimfs). */
  private static String linkTarget(Directory in, Path name) throws IOException {
    Path dir = DirectoryHandles.held(in.held()).orElse(in.path());
    return Files.readSymbolicLink(dir.resolve(name)).toString();
  }

  /** Reads an entry's exact modification time. */
  @FunctionalInterface
  private interface ExactTime {
    FileTime read() throws IOException;
  }

  /**
   * The modification time {@code s} holds, unless the file system keeps one outside the times an
   * entry holds (ext4 and others store 1901 to 2446): {@link FileStats} then has one of the two
   * values its conversion saturates at, the lower one being {@link Entry#UNKNOWN_TIME}. Such a time
   * saturates at the nearest end of the range instead, and is reported, since a copy gets that end.
   */
  private long mtime(String key, FileStats.Stat s, ExactTime exactTime) throws IOException {
    if (s.mtimeNanos() != Long.MIN_VALUE && s.mtimeNanos() != Long.MAX_VALUE) {
      return s.mtimeNanos();
    }
    Instant exact = exactTime.read().toInstant();
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
}
