package io.backupagents.replicator.execute;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.AtomicFiles;
import io.backupagents.common.fs.PartialFiles;
import io.backupagents.common.s3.ContentDigests;
import io.backupagents.replicator.config.ReplicatorSettings.Fsync;
import io.backupagents.replicator.fs.DirectoryHandles;
import io.backupagents.replicator.fs.NonBlockingOpen;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.plan.TempNames;
import io.backupagents.replicator.scan.FileStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Writes a target directory tree with rsync's care: every file and symlink is built under a
 * temporary name in its own directory, given its owner, mode and time, and renamed into place, so
 * the target never shows a partial file under a real name. Nothing is ever followed through a
 * symlink, in the last component or any other: every call acts on an entry of a directory the run
 * holds open ({@link DirectoryHandles}), so a directory swapped for a symlink during the run is
 * never written through, and a directory the run could not create fails its whole subtree.
 */
public final class DirectoryTarget implements TargetSide, AutoCloseable {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** Fills a temporary file and returns the attributes the final file must get. */
  @FunctionalInterface
  public interface Filler {
    Entry fill(Path temp) throws IOException, InterruptedException;
  }

  private final Path root;
  private final Attributes attributes;
  private final Fsync fsync;
  private final boolean deletions;
  private final DirectoryHandles handles;

  /**
   * {@code deletions}: the run deletes what the source no longer has (REPLICATE_DELETE), so a
   * symlink in the way of a directory is one of its deletions, made only once the guard allows
   * them; without, it is replaced in place, as rsync replaces an entry of the wrong kind.
   */
  public DirectoryTarget(Path root, Attributes attributes, Fsync fsync, boolean deletions) {
    this.root = root;
    this.attributes = attributes;
    this.deletions = deletions;
    this.fsync = fsync;
    this.handles = new DirectoryHandles(root, "target");
  }

  public Path root() {
    return root;
  }

  /** Creates the target directory itself (only its last component, like rsync). */
  public boolean prepare() throws IOException {
    if (Files.isDirectory(root)) {
      return false;
    }
    try {
      Files.createDirectory(root);
    } catch (NoSuchFileException e) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "the target's parent directory "
              + root.getParent()
              + " does not exist: only the target directory itself is created (is the volume"
              + " mounted?)",
          e);
    } catch (FileAlreadyExistsException e) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS, "the target " + root + " exists and is not a directory", e);
    }
    return true;
  }

  /** Makes sure a directory exists for {@code s}; returns true when it had to be created. */
  public boolean makeDirectory(Entry s, Entry t) throws IOException {
    if (t != null) {
      return false;
    }
    try {
      return call(
          s,
          (dir, name) -> {
            Path p = dir.at(name);
            try {
              Files.createDirectory(p);
              return true;
            } catch (FileAlreadyExistsException e) {
              if (Files.isDirectory(p, NOFOLLOW)) {
                return false; // created meanwhile, e.g. by another shard
              }
              if (Files.isRegularFile(p, NOFOLLOW)) {
                // Its data goes only with the run's deletions, which the guard weighs.
                throw new WaitsForDeletionsException(s.key(), "a file the source no longer has");
              }
              if (deletions) {
                // Counted among them too: a refused run must not have replaced it.
                throw new WaitsForDeletionsException(s.key(), "a symlink the source no longer has");
              }
              Files.delete(p); // a symlink where the source has a directory: replace it
              Files.createDirectory(p);
              return true;
            }
          });
    } catch (WaitsForDeletionsException e) {
      throw e;
    } catch (IOException e) {
      handles.markFailed(s.key());
      throw e;
    }
  }

  /** Writes a regular file through a temporary sibling; returns the final attributes. */
  public Entry write(Entry s, Filler filler) throws IOException, InterruptedException {
    return inParent(
        s,
        (dir, name) -> {
          // Tracked: a SIGTERM while it is written removes it (see PartialFiles).
          Path temp = PartialFiles.track(dir.at(TempNames.forName(name)));
          boolean renamed = false;
          try {
            Entry effective = filler.fill(temp);
            attributes.apply(temp, effective, null, true);
            if (fsync == Fsync.EACH) {
              AtomicFiles.fsync(temp);
            }
            rename(temp, dir.at(name), s);
            renamed = true;
            return effective;
          } finally {
            if (!renamed) {
              Files.deleteIfExists(temp);
            }
            PartialFiles.untrack(temp);
          }
        });
  }

  /** Creates or replaces a symlink (as a link: its target text is copied, never resolved). */
  public void link(Entry s) throws IOException {
    call(
        s,
        (dir, name) -> {
          Path temp = dir.at(TempNames.forName(name));
          boolean renamed = false;
          try {
            Files.createSymbolicLink(temp, temp.getFileSystem().getPath(s.linkTarget()));
            attributes.apply(temp, s, null, true);
            rename(temp, dir.at(name), s);
            renamed = true;
            return null;
          } finally {
            if (!renamed) {
              Files.deleteIfExists(temp);
            }
          }
        });
  }

  /** Sets mode, owner and time of an entry whose data is already right. */
  public void fixAttributes(Entry s, Entry t) throws IOException {
    onEntry(s, t, s);
  }

  /** Sets a directory's attributes once its contents are final. */
  public void finishDirectory(Entry s, Entry t, boolean changedInside) throws IOException {
    Entry current = t == null || changedInside ? null : t;
    if (current == null && t != null) {
      current = t.withMtime(Entry.UNKNOWN_TIME);
    }
    onEntry(s, current, s);
  }

  /**
   * Deletes an extraneous entry if it is still of the kind that was scanned: never a directory with
   * contents (rsync's rule), never a directory that replaced a scanned file. Returns whether
   * something was deleted.
   */
  public boolean delete(Entry t) throws IOException {
    try {
      return deleteInParent(t);
    } catch (NoSuchFileException e) {
      return false; // its directory is gone already (a concurrent shard deleted the tree)
    }
  }

  private boolean deleteInParent(Entry t) throws IOException {
    return call(
        t,
        (dir, name) -> {
          Path p = dir.at(name);
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
            // unlink(2)/rmdir(2) of the last component: a symlink swapped in meanwhile makes
            // rmdir fail (ENOTDIR) and is itself unlinked, never followed.
            Files.delete(p);
            return true;
          } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return false;
          }
        });
  }

  /** True when the entry is (still) a directory of the target. */
  public boolean isDirectory(Entry e) throws IOException {
    if (e.key().isEmpty()) {
      return true;
    }
    return call(e, (dir, name) -> Files.isDirectory(dir.at(name), NOFOLLOW));
  }

  /** Removes a temporary file or symlink a killed run left behind. */
  public TempRemoval removeTemp(Entry t, Instant staleBefore) throws IOException {
    return call(
        t,
        (dir, name) -> {
          Path p = dir.at(name);
          if (!Files.isRegularFile(p, NOFOLLOW) && !Files.isSymbolicLink(p)) {
            return TempRemoval.GONE;
          }
          // Every write changes ctime, and so do the time and mode set before the rename.
          FileTime changed = (FileTime) Files.getAttribute(p, "unix:ctime", NOFOLLOW);
          if (!changed.toInstant().isBefore(staleBefore)) {
            return TempRemoval.KEPT_RECENT;
          }
          return Files.deleteIfExists(p) ? TempRemoval.REMOVED : TempRemoval.GONE;
        });
  }

  /** What became of a temporary file a run found. */
  public enum TempRemoval {
    REMOVED,
    /** Changed lately: another run may be writing it. */
    KEPT_RECENT,
    GONE
  }

  /** The MD5 of a target file's content, read without following a symlink. */
  public byte[] md5(Entry e) throws IOException {
    return call(
        e,
        (dir, name) -> {
          MessageDigest md5 = ContentDigests.md5();
          ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
          try (FileChannel in = NonBlockingOpen.regularFile(dir.at(name))) {
            while (in.read(buffer) >= 0) {
              buffer.flip();
              md5.update(buffer);
              buffer.clear();
            }
          }
          return md5.digest();
        });
  }

  /** Closes the directories the run held open. */
  @Override
  public void close() {
    handles.close();
  }

  private void onEntry(Entry s, Entry current, Entry source) throws IOException {
    if (!attributes.wouldChange(source, current)) {
      return; // nothing to set: no directory is opened for it
    }
    if (s.key().isEmpty()) {
      // The root is reached through its own descriptor, which the kernel follows to the
      // directory that was opened.
      handlesRoot(current, source);
      return;
    }
    call(
        s,
        (dir, name) -> {
          attributes.apply(dir.at(name), source, current, true);
          return null;
        });
  }

  private void handlesRoot(Entry current, Entry source) throws IOException {
    try {
      handles.in(
          "",
          dir -> {
            attributes.apply(dir.self(), source, current, false);
            return null;
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Work on one named entry of an open directory. */
  @FunctionalInterface
  private interface InParent<T> {
    T apply(DirectoryHandles.Handle dir, String name) throws IOException, InterruptedException;
  }

  private <T> T inParent(Entry e, InParent<T> work) throws IOException, InterruptedException {
    String path = e.path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    return handles.in(e.parentKey(), dir -> work.apply(dir, name));
  }

  private <T> T call(Entry e, InParent<T> work) throws IOException {
    try {
      return inParent(e, work);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", x);
    }
  }

  private static void rename(Path temp, Path target, Entry s) throws IOException {
    try {
      // rename(2) within one directory is atomic: readers see the old entry or the new one.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(target, NOFOLLOW)) {
        throw e;
      }
      try {
        Files.delete(target); // an empty directory in the way: nothing is lost
      } catch (DirectoryNotEmptyException full) {
        throw new WaitsForDeletionsException(s.key(), "a non-empty directory");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
