package io.backupagents.replicator.execute;

import io.backupagents.common.fs.AtomicFiles;
import io.backupagents.replicator.config.ReplicatorSettings.Fsync;
import io.backupagents.replicator.plan.TempNames;
import io.backupagents.replicator.scan.Entry;
import io.backupagents.replicator.scan.FileStats;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a target directory tree with rsync's care: every file and symlink is built under a
 * temporary name in its own directory, given its owner, mode and time, and renamed into place, so
 * the target never shows a partial file under a real name. Nothing is ever followed through a
 * symlink: an entry of the wrong kind in the way is replaced, not written through.
 */
public final class DirectoryTarget {

  /** Fills a temporary file and returns the attributes the final file must get. */
  @FunctionalInterface
  public interface Filler {
    Entry fill(Path temp) throws IOException, InterruptedException;
  }

  private final Path root;
  private final Attributes attributes;
  private final Fsync fsync;

  public DirectoryTarget(Path root, Attributes attributes, Fsync fsync) {
    this.root = root;
    this.attributes = attributes;
    this.fsync = fsync;
  }

  public Path root() {
    return root;
  }

  public Path path(Entry e) {
    return e.key().isEmpty() ? root : root.resolve(e.path());
  }

  /** Creates the target directory itself (only its last component, like rsync). */
  public boolean prepare() throws IOException {
    if (Files.isDirectory(root)) {
      return false;
    }
    Files.createDirectory(root);
    return true;
  }

  /** Makes sure a directory exists for {@code s}; returns true when it had to be created. */
  public boolean makeDirectory(Entry s, Entry t) throws IOException {
    if (t != null) {
      return false;
    }
    Path p = path(s);
    try {
      Files.createDirectory(p);
      return true;
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return false; // created meanwhile, e.g. by another shard
      }
      Files.delete(p); // a file or symlink where the source has a directory: replace it
      Files.createDirectory(p);
      return true;
    }
  }

  /** Writes a regular file through a temporary sibling; returns the final attributes. */
  public Entry write(Entry s, Filler filler) throws IOException, InterruptedException {
    Path target = path(s);
    Path temp = target.resolveSibling(TempNames.forName(target.getFileName().toString()));
    boolean renamed = false;
    try {
      Entry effective = filler.fill(temp);
      attributes.apply(temp, effective, null);
      if (fsync == Fsync.EACH) {
        AtomicFiles.fsync(temp);
      }
      rename(temp, target, s);
      renamed = true;
      return effective;
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Creates or replaces a symlink (as a link: its target text is copied, never resolved). */
  public void link(Entry s) throws IOException {
    Path target = path(s);
    Path temp = target.resolveSibling(TempNames.forName(target.getFileName().toString()));
    boolean renamed = false;
    try {
      Files.createSymbolicLink(temp, target.getFileSystem().getPath(s.linkTarget()));
      attributes.apply(temp, s, null);
      rename(temp, target, s);
      renamed = true;
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Sets mode, owner and time of an entry whose data is already right. */
  public void fixAttributes(Entry s, Entry t) throws IOException {
    attributes.apply(path(s), s, t);
  }

  /** Sets a directory's attributes once its contents are final. */
  public void finishDirectory(Entry s, Entry t, boolean changedInside) throws IOException {
    Entry current = t == null || changedInside ? null : t;
    if (current == null && t != null) {
      current = t.withMtime(Entry.UNKNOWN_TIME);
    }
    attributes.apply(path(s), s, current);
  }

  /**
   * Deletes an extraneous entry if it is still of the kind that was scanned: never a directory with
   * contents (rsync's rule), never a directory that replaced a scanned file. Returns whether
   * something was deleted.
   */
  public boolean delete(Entry t) throws IOException {
    Path p = path(t);
    Entry.Kind now;
    try {
      now = FileStats.stat(p).kind();
    } catch (NoSuchFileException e) {
      return false;
    }
    if ((now == Entry.Kind.DIRECTORY) != t.isDirectory()) {
      return false;
    }
    try {
      Files.delete(p);
      return true;
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      return false;
    }
  }

  /** Removes a temporary file or symlink a killed run left behind. */
  public boolean removeTemp(Entry t) throws IOException {
    Path p = path(t);
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
      return Files.deleteIfExists(p);
    }
    return false;
  }

  private static void rename(Path temp, Path target, Entry s) throws IOException {
    try {
      // rename(2) within one directory is atomic: readers see the old entry or the new one.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      try {
        Files.delete(target); // an empty directory in the way: nothing is lost
      } catch (DirectoryNotEmptyException full) {
        throw new BlockedByDirectoryException(s.key());
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
