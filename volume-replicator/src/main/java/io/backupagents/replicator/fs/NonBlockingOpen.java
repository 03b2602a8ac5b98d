package io.backupagents.replicator.fs;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Opens an entry by name as what the listing saw, a directory or a regular file, without following
 * a symlink and without waiting on a FIFO.
 *
 * <p>Why: the JDK opens with {@code O_RDONLY|O_NOFOLLOW} alone, and opening a FIFO that way waits
 * until some process opens it for writing, possibly forever. A directory or file replaced by a FIFO
 * between the listing and the opening (by the application writing the volume, or by someone who
 * means harm) would hang the run, and the runs after it that wait for its lock. Here the name is
 * opened once with {@code O_NONBLOCK} as well (a FIFO opens at once, a symlink fails with {@code
 * ELOOP} as before), the kind of what was opened is checked, and the directory or file is opened
 * for use through that descriptor's magic link, {@code /proc/self/fd/<fd>}, which reaches the very
 * inode opened without looking the name up again.
 *
 * <p>It needs the JDK's Unix classes ({@code java.base/sun.nio.fs}, which the jar's manifest opens)
 * and a name reached through a held directory; elsewhere (Jimfs) the entry is opened as the JDK
 * does.
 */
public final class NonBlockingOpen {

  /** Linux's {@code O_NONBLOCK}, the same on every architecture the images are built for. */
  private static final int O_NONBLOCK = 04000;

  private static final Path PROC_FD = Path.of("/proc/self/fd");
  private static final Class<?> UNIX_PATH;
  private static final Class<?> UNIX_EXCEPTION;
  private static final MethodHandle OPEN;
  private static final MethodHandle CLOSE;
  private static final MethodHandle RETHROW;
  private static final int FLAGS;

  static {
    Class<?> unixPath = null;
    Class<?> unixException = null;
    MethodHandle open = null;
    MethodHandle close = null;
    MethodHandle rethrow = null;
    int flags = 0;
    try {
      unixPath = Class.forName("sun.nio.fs.UnixPath");
      unixException = Class.forName("sun.nio.fs.UnixException");
      Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
      Class<?> constants = Class.forName("sun.nio.fs.UnixConstants");
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandles.Lookup inDispatcher = MethodHandles.privateLookupIn(dispatcher, lookup);
      open =
          inDispatcher
              .findStatic(
                  dispatcher,
                  "open",
                  MethodType.methodType(int.class, unixPath, int.class, int.class))
              .asType(MethodType.methodType(int.class, Object.class, int.class, int.class));
      close =
          inDispatcher.findStatic(
              dispatcher, "close", MethodType.methodType(void.class, int.class));
      rethrow =
          MethodHandles.privateLookupIn(unixException, lookup)
              .findVirtual(
                  unixException,
                  "rethrowAsIOException",
                  MethodType.methodType(void.class, unixPath))
              .asType(MethodType.methodType(void.class, Object.class, Object.class));
      MethodHandles.Lookup inConstants = MethodHandles.privateLookupIn(constants, lookup);
      int readOnly = (int) inConstants.findStaticGetter(constants, "O_RDONLY", int.class).invoke();
      int noFollow =
          (int) inConstants.findStaticGetter(constants, "O_NOFOLLOW", int.class).invoke();
      flags = readOnly | noFollow | O_NONBLOCK;
    } catch (Throwable e) {
      open = null;
    }
    UNIX_PATH = unixPath;
    UNIX_EXCEPTION = unixException;
    OPEN = open;
    CLOSE = close;
    RETHROW = rethrow;
    FLAGS = flags;
  }

  private NonBlockingOpen() {}

  /** The entry at a path is no regular file (any more): a FIFO, socket, device or directory. */
  public static final class NotRegularFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    NotRegularFileException(String file) {
      super(file, null, "is no regular file (now a directory, FIFO, socket or device)");
    }
  }

  /**
   * A regular file held open; {@link #path} reaches it ({@code /proc/self/fd/<fd>}) until closed:
   * whatever opens that path opens this very file, even if its name has been replaced meanwhile.
   */
  public static final class HeldFile implements AutoCloseable {
    private final Path path;
    private final int fd;

    private HeldFile(Path path, int fd) {
      this.path = path;
      this.fd = fd;
    }

    public Path path() {
      return path;
    }

    @Override
    public void close() {
      if (fd >= 0) {
        closeQuietly(fd);
      }
    }
  }

  /**
   * Opens the directory {@code name} of the directory {@code parent} holds open, not through a
   * symlink; throws {@link NotDirectoryException} when it is no directory (a FIFO among others), at
   * once.
   */
  @SuppressWarnings("StreamResourceLeak") // the caller owns the stream returned
  public static SecureDirectoryStream<Path> directory(SecureDirectoryStream<Path> parent, Path name)
      throws IOException {
    Optional<Path> held = DirectoryHandles.held(parent);
    if (OPEN == null || held.isEmpty()) {
      return parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    }
    Path at = held.get().resolve(name.toString());
    int fd = open(at);
    try {
      Path self = PROC_FD.resolve(Integer.toString(fd));
      if (!Files.isDirectory(self)) {
        throw new NotDirectoryException(at.toString());
      }
      DirectoryStream<Path> stream = Files.newDirectoryStream(self);
      if (stream instanceof SecureDirectoryStream<Path> secure) {
        return secure;
      }
      stream.close();
      throw new FileSystemException(at.toString(), null, "cannot be held open as a directory");
    } finally {
      closeQuietly(fd);
    }
  }

  /** Opens the regular file {@code at} (a path through a held directory) for reading. */
  public static FileChannel regularFile(Path at) throws IOException {
    try (HeldFile file = holdRegularFile(at)) {
      return FileChannel.open(file.path(), StandardOpenOption.READ);
    }
  }

  /**
   * Holds open the regular file {@code at} (a path through a held directory) names now, not through
   * a symlink (failing as the JDK does with {@code NOFOLLOW_LINKS}); throws {@link
   * NotRegularFileException} at once when it is no regular file.
   */
  public static HeldFile holdRegularFile(Path at) throws IOException {
    if (OPEN == null || !at.startsWith(PROC_FD) || !UNIX_PATH.isInstance(at)) {
      BasicFileAttributes a =
          Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        throw new FileSystemException(at.toString(), null, "Too many levels of symbolic links");
      }
      if (!a.isRegularFile()) {
        throw new NotRegularFileException(at.toString());
      }
      return new HeldFile(at, -1);
    }
    int fd = open(at);
    try {
      Path self = PROC_FD.resolve(Integer.toString(fd));
      if (!Files.readAttributes(self, BasicFileAttributes.class).isRegularFile()) {
        throw new NotRegularFileException(at.toString());
      }
      return new HeldFile(self, fd);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(fd);
      throw e;
    }
  }

  /** {@code open(at, O_RDONLY|O_NOFOLLOW|O_NONBLOCK)}, failing as the JDK's own opens do. */
  private static int open(Path at) throws IOException {
    try {
      return (int) OPEN.invokeExact((Object) at, FLAGS, 0);
    } catch (Throwable e) {
      if (UNIX_EXCEPTION.isInstance(e)) {
        try {
          RETHROW.invokeExact((Object) e, (Object) at);
        } catch (IOException | RuntimeException | Error thrown) {
          throw thrown;
        } catch (Throwable other) {
          throw new IOException(other);
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error r) {
        throw r;
      }
      throw new IOException("open " + at, e);
    }
  }

  /** Closes a descriptor opened for reading: a failure there loses nothing. */
  private static void closeQuietly(int fd) {
    try {
      CLOSE.invokeExact(fd);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      // EINTR or EIO on a descriptor only read from: nothing was written through it.
    }
  }
}
