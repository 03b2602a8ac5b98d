package io.backupagents.replicator.scan;

import io.backupagents.replicator.model.Entry;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads an entry's attributes with one {@code lstat}: kind, size, modification time in nanoseconds,
 * the full mode (with setuid, setgid and sticky bits) and numeric owner and group.
 *
 * <p>The JDK has these numbers in its Unix attribute object but exposes the full mode and ids only
 * through a slower map-based view; when the jar opens {@code java.base/sun.nio.fs} (its manifest
 * does) they are read directly, which halves the cost of a scan. Elsewhere (other JVM flags, Jimfs
 * in tests) the public views are used.
 */
public final class FileStats {

  /** What {@link #stat} returns: the attributes the planner compares. */
  public record Stat(Entry.Kind kind, long size, long mtimeNanos, int mode, int uid, int gid) {}

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final MethodHandle MODE;
  private static final MethodHandle UID;
  private static final MethodHandle GID;
  private static final Class<?> UNIX_ATTRIBUTES;

  static {
    MethodHandle mode = null;
    MethodHandle uid = null;
    MethodHandle gid = null;
    Class<?> type = null;
    try {
      type = Class.forName("sun.nio.fs.UnixFileAttributes");
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
      MethodType intResult = MethodType.methodType(int.class, Object.class);
      mode = lookup.findVirtual(type, "mode", MethodType.methodType(int.class)).asType(intResult);
      uid = lookup.findVirtual(type, "uid", MethodType.methodType(int.class)).asType(intResult);
      gid = lookup.findVirtual(type, "gid", MethodType.methodType(int.class)).asType(intResult);
    } catch (ReflectiveOperationException | RuntimeException e) {
      mode = null;
    }
    MODE = mode;
    UID = uid;
    GID = gid;
    UNIX_ATTRIBUTES = mode == null ? null : type;
  }

  private FileStats() {}

  /** True when the direct (fast) path is available in this JVM. */
  public static boolean direct() {
    return MODE != null;
  }

  /** {@code lstat} of {@code path}: symlinks are reported as such, never followed. */
  public static Stat stat(Path path) throws IOException {
    // Asked for as POSIX attributes, the JDK hands out its Unix object itself (as basic ones it
    // wraps them).
    BasicFileAttributes a =
        UNIX_ATTRIBUTES != null
            ? Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW)
            : Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
    return UNIX_ATTRIBUTES != null && UNIX_ATTRIBUTES.isInstance(a)
        ? direct(a)
        : slow(path, kind(a), a.size(), nanos(a.lastModifiedTime()));
  }

  /**
   * {@code fstatat} of {@code name} in the directory {@code dir} holds open, never following a
   * symlink; {@code dirPath} reaches that directory for the views of other file systems (Jimfs).
   */
  public static Stat stat(SecureDirectoryStream<Path> dir, Path name, Path dirPath)
      throws IOException {
    if (UNIX_ATTRIBUTES != null) {
      PosixFileAttributeView view =
          dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
      if (view != null) {
        PosixFileAttributes a = view.readAttributes();
        if (UNIX_ATTRIBUTES.isInstance(a)) {
          return direct(a);
        }
      }
    }
    return stat(dirPath.resolve(name));
  }

  /** The exact modification time of {@code name} in {@code dir}, not following a symlink. */
  public static FileTime modified(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    BasicFileAttributeView view =
        dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW);
    return view.readAttributes().lastModifiedTime();
  }

  private static Stat direct(BasicFileAttributes a) {
    try {
      int mode = (int) MODE.invokeExact((Object) a);
      int uid = (int) UID.invokeExact((Object) a);
      int gid = (int) GID.invokeExact((Object) a);
      return new Stat(kind(a), a.size(), nanos(a.lastModifiedTime()), mode & 07777, uid, gid);
    } catch (Throwable e) {
      throw new IllegalStateException("reading file attributes", e);
    }
  }

  private static Stat slow(Path path, Entry.Kind kind, long size, long mtime) throws IOException {
    Set<String> views = path.getFileSystem().supportedFileAttributeViews();
    if (views.contains("unix")) {
      Map<String, Object> m = Files.readAttributes(path, "unix:mode,uid,gid", NOFOLLOW);
      return new Stat(
          kind,
          size,
          mtime,
          ((Integer) m.get("mode")) & 07777,
          (Integer) m.get("uid"),
          (Integer) m.get("gid"));
    }
    if (views.contains("posix")) {
      PosixFileAttributes p = Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
      return new Stat(kind, size, mtime, bits(p.permissions()), Entry.UNKNOWN, Entry.UNKNOWN);
    }
    return new Stat(kind, size, mtime, Entry.UNKNOWN, Entry.UNKNOWN, Entry.UNKNOWN);
  }

  public static Entry.Kind kind(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return Entry.Kind.SYMLINK;
    }
    if (a.isDirectory()) {
      return Entry.Kind.DIRECTORY;
    }
    return a.isRegularFile() ? Entry.Kind.FILE : Entry.Kind.SPECIAL;
  }

  public static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /** Permission bits of a set of POSIX permissions. */
  public static int bits(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      @SuppressWarnings(
          "EnumOrdinal") // declared in mode-bit order: owner rwx, group rwx, others rwx
      int shift = p.ordinal();
      mode |= 0400 >> shift;
    }
    return mode;
  }
}
