package io.backupagents.common.fs;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystemException;

/**
 * File times set by calling {@code utimensat(2)} directly, for the times the JDK cannot pass: it
 * splits nanoseconds into seconds and a fraction rounding towards zero, so a time before 1970 with
 * a fraction of a second reaches the kernel with a negative fraction, which it refuses (EINVAL).
 * The call needs Java 22 (the foreign function API, see {@code LinuxTimes}); elsewhere it fails
 * saying so.
 */
public final class NativeTimes {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final MethodHandle UTIMENSAT = find();

  private NativeTimes() {}

  /** True when the JDK cannot set {@code nanos} since the epoch (before 1970, with a fraction). */
  public static boolean beyondTheJdk(long nanos) {
    return nanos < 0 && nanos % NANOS_PER_SECOND != 0;
  }

  /**
   * Sets the times (nanoseconds since the epoch) of {@code path} with {@code utimensat}'s {@code
   * flags}; returns 0 or the errno it failed with.
   */
  public static int utimensat(String path, long atimeNanos, long mtimeNanos, int flags)
      throws IOException {
    if (UTIMENSAT == null) {
      throw new FileSystemException(
          path,
          null,
          "cannot set a time before 1970 with a fraction of a second: the JDK cannot pass it to"
              + " the system, and calling utimensat directly needs Java 22 or later");
    }
    try {
      return (int)
          UTIMENSAT.invokeExact(
              path,
              Math.floorDiv(atimeNanos, NANOS_PER_SECOND),
              Math.floorMod(atimeNanos, NANOS_PER_SECOND),
              Math.floorDiv(mtimeNanos, NANOS_PER_SECOND),
              Math.floorMod(mtimeNanos, NANOS_PER_SECOND),
              flags);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException("utimensat of " + path, e);
    }
  }

  private static MethodHandle find() {
    if (Runtime.version().feature() < 22) {
      return null;
    }
    try {
      Class<?> c = Class.forName("io.backupagents.common.fs.LinuxTimes");
      return MethodHandles.lookup()
          .findStatic(
              c,
              "utimensat",
              MethodType.methodType(
                  int.class,
                  String.class,
                  long.class,
                  long.class,
                  long.class,
                  long.class,
                  int.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
