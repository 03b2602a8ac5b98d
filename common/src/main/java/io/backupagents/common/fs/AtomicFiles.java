package io.backupagents.common.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Publishing files so that readers see either the old content or the whole new one. */
public final class AtomicFiles {

  /** Prefix of our temporary names: hidden, and never matching a backup or a replicated name. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /**
   * A temporary sibling of {@code target}: same directory, so the final rename stays atomic. It is
   * {@linkplain PartialFiles tracked}: a SIGTERM before {@link #publish} removes it.
   */
  public static Path tempSibling(Path target) {
    return PartialFiles.track(
        target.resolveSibling(
            TEMP_PREFIX
                + target.getFileName()
                + "."
                + UUID.randomUUID().toString().substring(0, 8)));
  }

  /** Writes {@code content} to a temporary sibling, fsyncs it, and renames it over target. */
  public static void write(Path target, byte[] content) throws IOException {
    Path temp = tempSibling(target);
    try {
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      publish(temp, target);
    } finally {
      Files.deleteIfExists(temp);
      PartialFiles.untrack(temp);
    }
  }

  /**
   * Renames a finished, fsynced temporary file to its final name. A rename within one directory is
   * atomic on POSIX file systems: a crash leaves the old name or the new one, never a partial file
   * under the final name. The directory is fsynced so the rename itself survives a crash.
   */
  public static void publish(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Only file systems without rename (some in-memory ones) end up here.
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    PartialFiles.untrack(temp);
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  /** Flushes a file's content to stable storage. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Flushes a directory entry change; a no-op where the platform cannot open directories. */
  public static void fsyncDirectory(Path dir) {
    if (dir == null || dir.getFileSystem() != FileSystems.getDefault()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems (NFS, some FUSE) refuse to open or sync a directory; the data is safe.
    }
  }
}
