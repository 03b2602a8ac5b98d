package io.backupagents.replicator.execute;

import io.backupagents.common.fs.NativeTimes;
import io.backupagents.replicator.fs.UnixInternals;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.TimeUnit;

/**
 * Three system calls the JDK makes in a roundabout way, made directly: {@code chown(uid, gid)} in
 * one call (the public API sets owner and group one after the other), {@code utimensat} by path
 * (the public API opens the file, which costs two more calls per file and blocks on a FIFO), and
 * {@code fchmodat(AT_SYMLINK_NOFOLLOW)}: the public API's mode change with {@code NOFOLLOW_LINKS}
 * follows a symlink all the same (JDK 25 opens the file without {@code O_NOFOLLOW}), which would
 * let whoever swaps a target entry for a symlink have the run change the mode of any file. They are
 * reached through the JDK's own Unix classes when the jar opens {@code java.base/sun.nio.fs} (its
 * manifest does); elsewhere the public API is used, after a check that the entry is no symlink.
 */
final class PosixCalls {

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final MethodHandle SET_OWNERS;
  private static final Class<?> VIEW;
  private static final MethodHandle UTIMENSAT;
  private static final MethodHandle FCHMODAT;
  private static final Class<?> UNIX_PATH;

  static {
    MethodHandle setOwners = null;
    MethodHandle utimensat = null;
    MethodHandle fchmodat = null;
    Class<?> view = null;
    Class<?> unixPath = UnixInternals.UNIX_PATH;
    try {
      view = Class.forName("sun.nio.fs.UnixFileAttributeViews$Posix");
      Class<?> dispatcher = UnixInternals.DISPATCHER;
      if (!UnixInternals.available()) {
        throw new ClassNotFoundException("sun.nio.fs.UnixPath");
      }
      setOwners =
          UnixInternals.in(view)
              .findVirtual(
                  view, "setOwners", MethodType.methodType(void.class, int.class, int.class))
              .asType(MethodType.methodType(void.class, Object.class, int.class, int.class));
      utimensat =
          UnixInternals.in(dispatcher)
              .findStatic(
                  dispatcher,
                  "utimensat",
                  MethodType.methodType(
                      void.class, int.class, unixPath, long.class, long.class, int.class))
              .asType(
                  MethodType.methodType(
                      void.class, int.class, Object.class, long.class, long.class, int.class));
      // The C library carries out AT_SYMLINK_NOFOLLOW (glibc 2.32+ through O_PATH, or the
      // kernel's fchmodat2), although the JDK does not count on it on Linux.
      fchmodat =
          UnixInternals.in(dispatcher)
              .findStatic(
                  dispatcher,
                  "fchmodat",
                  MethodType.methodType(void.class, int.class, unixPath, int.class, int.class))
              .asType(
                  MethodType.methodType(void.class, int.class, Object.class, int.class, int.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      setOwners = null;
      utimensat = null;
      fchmodat = null;
    }
    SET_OWNERS = setOwners;
    VIEW = setOwners == null ? null : view;
    UTIMENSAT = utimensat;
    FCHMODAT = utimensat == null ? null : fchmodat;
    UNIX_PATH = utimensat == null ? null : unixPath;
  }

  private PosixCalls() {}

  /** Sets owner and group; symlinks themselves when {@code noFollow}. */
  static void chown(Path path, int uid, int gid, boolean noFollow) throws IOException {
    LinkOption[] options = options(noFollow);
    if (VIEW != null) {
      PosixFileAttributeView v =
          Files.getFileAttributeView(path, PosixFileAttributeView.class, options);
      if (VIEW.isInstance(v)) {
        try {
          SET_OWNERS.invokeExact((Object) v, uid, gid);
          return;
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException("chown", e);
        }
      }
    }
    Files.setAttribute(path, "unix:uid", uid, options);
    Files.setAttribute(path, "unix:gid", gid, options);
  }

  /** Sets access and modification times (nanoseconds); the symlink itself when {@code noFollow}. */
  static void setTimes(Path path, long atimeNanos, long mtimeNanos, boolean noFollow)
      throws IOException {
    if ((NativeTimes.beyondTheJdk(atimeNanos) || NativeTimes.beyondTheJdk(mtimeNanos))
        && path.getFileSystem() == FileSystems.getDefault()) {
      int errno =
          NativeTimes.utimensat(
              path.toString(), atimeNanos, mtimeNanos, noFollow ? AT_SYMLINK_NOFOLLOW : 0);
      if (errno != 0) {
        throw failure(path, errno);
      }
      return;
    }
    if (UNIX_PATH != null && UNIX_PATH.isInstance(path)) {
      try {
        UTIMENSAT.invokeExact(
            AT_FDCWD, (Object) path, atimeNanos, mtimeNanos, noFollow ? AT_SYMLINK_NOFOLLOW : 0);
        return;
      } catch (Throwable e) {
        if (UnixInternals.isFailure(e)) {
          throw UnixInternals.rethrown(e, path);
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException("utimensat", e);
      }
    }
    Files.getFileAttributeView(path, BasicFileAttributeView.class, options(noFollow))
        .setTimes(
            FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS),
            FileTime.from(atimeNanos, TimeUnit.NANOSECONDS),
            null);
  }

  /**
   * Sets the mode bits; with {@code noFollow} never through a symlink: an entry that is one now is
   * refused (a symlink's own mode cannot be set on Linux, and it needs none).
   */
  static void chmod(Path path, int mode, boolean noFollow) throws IOException {
    if (!noFollow) {
      Files.setAttribute(path, "unix:mode", mode);
      return;
    }
    if (FCHMODAT != null && UNIX_PATH.isInstance(path)) {
      try {
        FCHMODAT.invokeExact(AT_FDCWD, (Object) path, mode, AT_SYMLINK_NOFOLLOW);
        return;
      } catch (Throwable e) {
        if (!UnixInternals.isFailure(e)) {
          if (e instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException("fchmodat", e);
        }
        // A symlink there, or a C library without the flag: decided below.
      }
    }
    if (Files.isSymbolicLink(path)) {
      throw new FileSystemException(
          path.toString(), null, "is a symlink now: its mode is not changed through it");
    }
    // No symlink a moment ago; the error this gives, if any, is the one to report.
    Files.setAttribute(path, "unix:mode", mode);
  }

  /** The exception the JDK throws for {@code errno} (NoSuchFileException and so on). */
  private static IOException failure(Path path, int errno) {
    Class<?> unixException = UnixInternals.UNIX_EXCEPTION;
    if (unixException != null && UNIX_PATH != null && UNIX_PATH.isInstance(path)) {
      try {
        Object failed =
            UnixInternals.in(unixException)
                .findConstructor(unixException, MethodType.methodType(void.class, int.class))
                .invoke(errno);
        return UnixInternals.rethrown((Throwable) failed, path);
      } catch (Throwable e) {
        // the plain message below
      }
    }
    return new FileSystemException(path.toString(), null, "utimensat failed: errno " + errno);
  }

  private static LinkOption[] options(boolean noFollow) {
    return noFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
  }
}
