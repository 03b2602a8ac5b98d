package io.backupagents.replicator.execute;

import io.backupagents.common.s3.ContentDigests;
import io.backupagents.replicator.fs.DirectoryHandles;
import io.backupagents.replicator.fs.NonBlockingOpen;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.scan.FileStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Reads files of a source directory tree, noticing files that vanish or change meanwhile. Files are
 * opened through their directories held open ({@link DirectoryHandles}), each reached from its
 * parent without following a symlink: a source directory swapped for a symlink during the run (to
 * {@code /}, say) is never read through, so nothing outside the source reaches the target.
 */
public final class DirectorySource implements SourceSide, AutoCloseable {

  private final Path root;
  private final BandwidthLimit limit;
  private final DirectoryHandles handles;

  public DirectorySource(Path root, BandwidthLimit limit) {
    this.root = root;
    this.limit = limit;
    this.handles = new DirectoryHandles(root, "source");
  }

  /** Closes the directories held open. */
  @Override
  public void close() {
    handles.close();
  }

  public Path root() {
    return root;
  }

  public Path path(Entry e) {
    return e.key().isEmpty() ? root : root.resolve(e.path());
  }

  /**
   * Copies the file's data into {@code out} (kernel-side where possible) and checks afterwards that
   * the file still has the size and modification time it was scanned with.
   */
  public void copyTo(Entry e, FileChannel out) throws IOException, InterruptedException {
    try (FileChannel in = open(e)) {
      long size = e.size();
      long position = 0;
      while (position < size) {
        long chunk = limit == null ? size - position : Math.min(size - position, 1 << 20);
        if (limit != null) {
          limit.acquire(chunk);
        }
        long n = in.transferTo(position, chunk, out);
        if (n <= 0) {
          break; // shorter than scanned: reported below
        }
        position += n;
      }
      if (position != size) {
        throw new SourceChangedException("changed size while being copied");
      }
    }
    verifyUnchanged(e);
  }

  /** The MD5 of the file's content. */
  public byte[] md5(Entry e) throws IOException {
    MessageDigest md5 = ContentDigests.md5();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    try (FileChannel in = open(e)) {
      while (in.read(buffer) >= 0) {
        buffer.flip();
        md5.update(buffer);
        buffer.clear();
      }
    }
    return md5.digest();
  }

  /** Reads a file by a path that cannot leave the source (see {@link #withPath}). */
  @FunctionalInterface
  public interface PathReader<T> {
    T read(Path file) throws IOException;
  }

  /**
   * Runs {@code reader} with a path to {@code e} for readers that open the file by path themselves
   * (an S3 upload): {@code /proc/self/fd/<fd>} of the file itself, held open during the call (and
   * valid only during it). The file was reached through its directory held open, so no directory
   * above it is followed if it was swapped for a symlink, and it was a regular file then, not a
   * symlink or FIFO; whatever opens the path opens that file, even if its name is replaced
   * meanwhile.
   */
  public <T> T withPath(Entry e, PathReader<T> reader) throws IOException {
    String name = name(e);
    try (NonBlockingOpen.HeldFile file =
        opened(() -> inDirectory(e, dir -> NonBlockingOpen.holdRegularFile(dir.at(name))))) {
      return reader.read(file.path());
    }
  }

  /** Throws when the file no longer has the scanned size and time. */
  public void verifyUnchanged(Entry e) throws IOException {
    FileStats.Stat now;
    try {
      String name = name(e);
      now = inDirectory(e, dir -> FileStats.stat(dir.at(name)));
    } catch (NoSuchFileException x) {
      throw new SourceChangedException("vanished while being copied");
    }
    if (now.kind() != e.kind() || now.size() != e.size() || now.mtimeNanos() != e.mtimeNanos()) {
      throw new SourceChangedException("changed while being copied");
    }
  }

  private FileChannel open(Entry e) throws IOException {
    String name = name(e);
    return opened(() -> inDirectory(e, dir -> NonBlockingOpen.regularFile(dir.at(name))));
  }

  /** Opening a source file, in a directory held open. */
  @FunctionalInterface
  private interface Opening<T> {
    T open() throws IOException;
  }

  /**
   * Opens with {@code opening}; a file that vanished or was replaced, or whose directory did, is a
   * changed source.
   */
  private static <T> T opened(Opening<T> opening) throws IOException {
    try {
      return opening.open();
    } catch (NoSuchFileException x) {
      throw new SourceChangedException("vanished before it could be copied");
    } catch (NonBlockingOpen.NotRegularFileException x) {
      throw new SourceChangedException("was replaced by a directory, FIFO, socket or device");
    } catch (IOException x) {
      // ELOOP: a FileSystemException ("Too many levels of symbolic links"); the JDK's own
      // NOFOLLOW_LINKS opens throw a plain IOException with that text.
      String why = x instanceof FileSystemException f ? f.getReason() : x.getMessage();
      if (String.valueOf(why).contains("symbolic links")) {
        throw new SourceChangedException("was replaced by a symlink");
      }
      throw x;
    }
  }

  private static String name(Entry e) {
    return e.path().substring(e.path().lastIndexOf('/') + 1);
  }

  private <T> T inDirectory(Entry e, DirectoryHandles.InDirectory<T> work) throws IOException {
    try {
      return handles.in(e.parentKey(), work);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted reading " + e.path());
    } catch (FileSystemException x) {
      String reason = String.valueOf(x.getReason());
      if (reason.contains("is no longer a directory of the source")
          && (reason.contains("symbolic links") || reason.contains("Not a directory"))) {
        throw new SourceChangedException(
            "is in a directory that was replaced (by a symlink, a file or a FIFO) while the run"
                + " read the source");
      }
      throw x; // permission denied, say: an error like any other
    }
  }
}
