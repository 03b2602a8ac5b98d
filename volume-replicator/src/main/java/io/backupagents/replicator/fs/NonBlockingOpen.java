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
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an entry by name as what the listing saw, a directory or a regular file, without following
 * a symlink and without waiting on a FIFO.
 *
 * <p>Why: the JDK opens with {@code O_RDONLY|O_NOFOLLOW} alone, and opening a FIFO that way waits
 * until some process opens it for writing, possibly forever. A directory or file replaced by a FIFO
 * between the listing and the opening (by the application writing the volume, or by someone who
 * means harm) would hang the run, and the runs after it that wait for its lock. A directory is
 * opened with the JDK's own calls plus {@code O_NONBLOCK}: a FIFO opens at once, {@code fdopendir}
 * then refuses what is no directory, and a symlink still fails with {@code ELOOP}. A file is first
 * opened with {@code O_PATH|O_NOFOLLOW}, which opens nothing (no FIFO waits, no device's driver
 * runs, a symlink is not followed), its kind is read with {@code fstat}, and only a regular file is
 * then opened, through the descriptor's magic link {@code /proc/self/fd/<fd>}, which reaches the
 * very inode checked without looking the name up again.
 *
 * <p>It needs the JDK's Unix classes ({@code java.base/sun.nio.fs}, which the jar's manifest opens)
 * and a name reached through a held directory; elsewhere (Jimfs) the entry is opened as the JDK
 * does.
 */
public final class NonBlockingOpen {

  private static final Logger log = LoggerFactory.getLogger(NonBlockingOpen.class);

  /**
   * Linux's {@code O_NONBLOCK}, the same on every architecture the images are built for (the
   * replicator needs Linux: {@link DirectoryHandles}).
   */
  private static final int O_NONBLOCK = 04000;

  /** Linux's {@code O_PATH} (x86-64 and arm64 alike): a descriptor that opens nothing. */
  private static final int O_PATH = 010000000;

  private static final Path PROC_FD = Path.of("/proc/self/fd");
  private static final MethodHandle OPEN;
  private static final MethodHandle FSTAT;
  private static final MethodHandle CLOSE;
  private static final int FLAGS;
  private static final int FILE_FLAGS;
  private static final int ENOTDIR;
  private static final MethodHandle OPENAT;
  private static final MethodHandle DUP;
  private static final MethodHandle FDOPENDIR;
  private static final MethodHandle BYTES;
  private static final MethodHandle SECURE_STREAM;

  static {
    MethodHandle open = null;
    MethodHandle fstat = null;
    MethodHandle close = null;
    int flags = 0;
    int fileFlags = 0;
    int enotdir = 0;
    MethodHandle openat = null;
    MethodHandle dup = null;
    MethodHandle fdopendir = null;
    MethodHandle bytes = null;
    MethodHandle secureStream = null;
    try {
      Class<?> unixPath = UnixInternals.UNIX_PATH;
      Class<?> dispatcher = UnixInternals.DISPATCHER;
      if (!UnixInternals.available()) {
        throw new ClassNotFoundException("sun.nio.fs.UnixPath");
      }
      MethodHandles.Lookup inDispatcher = UnixInternals.in(dispatcher);
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
      int noFollow = UnixInternals.constant("O_NOFOLLOW");
      flags = UnixInternals.constant("O_RDONLY") | noFollow | O_NONBLOCK;
      fileFlags = O_PATH | noFollow;
      enotdir = UnixInternals.constant("ENOTDIR");
      // The attributes fstat reads: the JDK's class implements the public attribute interfaces.
      Class<?> attributes = Class.forName("sun.nio.fs.UnixFileAttributes");
      fstat =
          UnixInternals.in(attributes)
              .findStatic(attributes, "get", MethodType.methodType(attributes, int.class))
              .asType(MethodType.methodType(BasicFileAttributes.class, int.class));
      openat =
          inDispatcher.findStatic(
              dispatcher,
              "openat",
              MethodType.methodType(int.class, int.class, byte[].class, int.class, int.class));
      dup = inDispatcher.findStatic(dispatcher, "dup", MethodType.methodType(int.class, int.class));
      fdopendir =
          inDispatcher.findStatic(
              dispatcher, "fdopendir", MethodType.methodType(long.class, int.class));
      bytes =
          UnixInternals.in(unixPath)
              .findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class))
              .asType(MethodType.methodType(byte[].class, Object.class));
      Class<?> secure = Class.forName("sun.nio.fs.UnixSecureDirectoryStream");
      secureStream =
          UnixInternals.in(secure)
              .findConstructor(
                  secure,
                  MethodType.methodType(
                      void.class, unixPath, long.class, int.class, DirectoryStream.Filter.class))
              .asType(
                  MethodType.methodType(
                      Object.class,
                      Object.class,
                      long.class,
                      int.class,
                      DirectoryStream.Filter.class));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Only where the JDK's Unix classes differ: on Linux, with the jar's --add-opens, they are
      // there (NonBlockingOpenTest checks this JDK).
      log.warn(
          "entries are opened as the JDK opens them: a FIFO put in place of one would block the"
              + " run ({})",
          e.toString());
      open = null;
      openat = null;
    }
    OPEN = open;
    FSTAT = fstat;
    CLOSE = close;
    FLAGS = flags;
    FILE_FLAGS = fileFlags;
    ENOTDIR = enotdir;
    OPENAT = openat;
    DUP = dup;
    FDOPENDIR = fdopendir;
    BYTES = bytes;
    SECURE_STREAM = secureStream;
  }

  private NonBlockingOpen() {}

  /** Whether entries are opened without blocking here (else as the JDK opens them). */
  static boolean nonBlocking() {
    return OPEN != null && OPENAT != null;
  }

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
    private int fd;

    private HeldFile(Path path, int fd) {
      this.path = path;
      this.fd = fd;
    }

    public Path path() {
      return path;
    }

    @Override
    public void close() {
      closeQuietly(fd);
      fd = -1;
    }
  }

  /**
   * Opens the directory {@code name} of the directory {@code parent} holds open, not through a
   * symlink; throws {@link NotDirectoryException} at once when it is no directory (a FIFO among
   * others). {@code path} is the directory's own path, which its entries are named under. The
   * system calls are the JDK's own for {@link SecureDirectoryStream#newDirectoryStream} ({@code
   * openat}, {@code dup}, {@code fdopendir}, which refuses what is no directory), with {@code
   * O_NONBLOCK} added to the {@code openat}: no call more per directory listed. {@code parent} must
   * stay open during the call (the JDK's own call takes the stream's lock; the callers here hold a
   * directory open until its sub-directories are).
   */
  @SuppressWarnings("unchecked") // the JDK's Unix directory stream is a SecureDirectoryStream<Path>
  public static SecureDirectoryStream<Path> directory(
      SecureDirectoryStream<Path> parent, Path name, Path path) throws IOException {
    OptionalInt parentFd = DirectoryHandles.descriptorOf(parent);
    if (OPENAT == null
        || parentFd.isEmpty()
        || !UnixInternals.UNIX_PATH.isInstance(name)
        || !UnixInternals.UNIX_PATH.isInstance(path)) {
      return parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    }
    int fd = -1;
    int kept = -1;
    try {
      fd =
          (int)
              OPENAT.invokeExact(
                  parentFd.getAsInt(), (byte[]) BYTES.invokeExact((Object) name), FLAGS, 0);
      kept = (int) DUP.invokeExact(fd);
      long dir = (long) FDOPENDIR.invokeExact(fd);
      fd = -1; // the directory stream's now: closedir closes it
      Object stream =
          SECURE_STREAM.invokeExact((Object) path, dir, kept, (DirectoryStream.Filter<?>) null);
      return (SecureDirectoryStream<Path>) stream;
    } catch (Throwable e) {
      closeQuietly(fd);
      closeQuietly(kept);
      if (UnixInternals.isFailure(e)) {
        // Named as the JDK names them: the entry's name, relative to its parent.
        if (UnixInternals.errno(e) == ENOTDIR) {
          throw new NotDirectoryException(name.toString());
        }
        throw UnixInternals.rethrown(e, name);
      }
      throw unchecked(e, "open of the directory " + path);
    }
  }

  /** Opens the regular file {@code at} (a path through a held directory) for reading. */
  public static FileChannel regularFile(Path at) throws IOException {
    try (HeldFile file = holdRegularFile(at)) {
      // Through the descriptor's magic link, which is followed to the file it holds; by the name
      // where there is none, never through a symlink.
      return file.fd >= 0
          ? FileChannel.open(file.path(), StandardOpenOption.READ)
          : FileChannel.open(at, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Holds open the regular file {@code at} (a path through a held directory) names now, not through
   * a symlink (a symlink fails with "Too many levels of symbolic links", ELOOP); throws {@link
   * NotRegularFileException} at once when it is no regular file. Where the descriptor's path cannot
   * be used (Jimfs), the file is checked by name and {@link HeldFile#path} is {@code at} itself.
   */
  public static HeldFile holdRegularFile(Path at) throws IOException {
    if (OPEN == null || !at.startsWith(PROC_FD) || !UnixInternals.UNIX_PATH.isInstance(at)) {
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
    int fd = openFile(at);
    try {
      BasicFileAttributes a = fstat(fd, at);
      if (a.isSymbolicLink()) {
        throw new FileSystemException(at.toString(), null, "Too many levels of symbolic links");
      }
      if (!a.isRegularFile()) {
        throw new NotRegularFileException(at.toString());
      }
      return new HeldFile(PROC_FD.resolve(Integer.toString(fd)), fd);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(fd);
      throw e;
    }
  }

  /**
   * {@code open(at, O_PATH|O_NOFOLLOW)}, failing as the JDK's own opens do: a descriptor of the
   * entry itself, even a symlink's, which opens nothing (no FIFO waits, no device's driver runs).
   */
  private static int openFile(Path at) throws IOException {
    try {
      return (int) OPEN.invokeExact((Object) at, FILE_FLAGS, 0);
    } catch (Throwable e) {
      if (UnixInternals.isFailure(e)) {
        throw UnixInternals.rethrown(e, at);
      }
      throw unchecked(e, "open of " + at);
    }
  }

  /** {@code fstat(fd)}: the attributes of what {@code fd}, opened at {@code at}, is. */
  private static BasicFileAttributes fstat(int fd, Path at) throws IOException {
    try {
      return (BasicFileAttributes) FSTAT.invokeExact(fd);
    } catch (Throwable e) {
      if (UnixInternals.isFailure(e)) {
        throw UnixInternals.rethrown(e, at);
      }
      throw unchecked(e, "fstat of " + at);
    }
  }

  /** {@code e} rethrown when unchecked, else wrapped: a failure that is no system call's. */
  private static IOException unchecked(Throwable e, String what) {
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error r) {
      throw r;
    }
    if (e instanceof IOException io) {
      return io;
    }
    return new IOException(what, e);
  }

  /**
   * Closes a descriptor only read from (nothing was written through it, so a failure loses
   * nothing), without hiding the failure being handled, if any.
   */
  private static void closeQuietly(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      log.debug("closing descriptor {}: {}", fd, e.toString());
    }
  }
}
