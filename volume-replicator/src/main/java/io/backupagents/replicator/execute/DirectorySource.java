package io.backupagents.replicator.execute;

import io.backupagents.common.s3.ContentDigests;
import io.backupagents.replicator.model.Entry;
import io.backupagents.replicator.scan.FileStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** Reads files of a source directory tree, noticing files that vanish or change meanwhile. */
public final class DirectorySource implements SourceSide {

  private final Path root;
  private final BandwidthLimit limit;

  public DirectorySource(Path root, BandwidthLimit limit) {
    this.root = root;
    this.limit = limit;
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

  /** Throws when the file no longer has the scanned size and time. */
  public void verifyUnchanged(Entry e) throws IOException {
    FileStats.Stat now;
    try {
      now = FileStats.stat(path(e));
    } catch (NoSuchFileException x) {
      throw new SourceChangedException("vanished while being copied");
    }
    if (now.kind() != e.kind() || now.size() != e.size() || now.mtimeNanos() != e.mtimeNanos()) {
      throw new SourceChangedException("changed while being copied");
    }
  }

  private FileChannel open(Entry e) throws IOException {
    try {
      return FileChannel.open(path(e), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException x) {
      throw new SourceChangedException("vanished before it could be copied");
    } catch (FileSystemException x) {
      if (String.valueOf(x.getReason()).contains("symbolic links")) {
        throw new SourceChangedException("was replaced by a symlink");
      }
      throw x;
    }
  }
}
