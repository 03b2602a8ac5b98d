package io.backupagents.common.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@code utimensat(2)} called with the foreign function API. Compiled for Java 22 and only loaded
 * there, see {@link NativeTimes}.
 */
@SuppressWarnings("restricted") // native access is the point of this class
final class LinuxTimes {

  private static final int AT_FDCWD = -100;
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle UTIMENSAT;

  static {
    Linker linker = Linker.nativeLinker();
    UTIMENSAT =
        linker.downcallHandle(
            linker.defaultLookup().find("utimensat").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
            Linker.Option.captureCallState("errno"));
  }

  private LinuxTimes() {}

  /**
   * Sets the access and modification times of {@code path} (seconds and nanoseconds of each, as the
   * kernel's {@code struct timespec} holds them); returns 0 or the errno it failed with.
   */
  static int utimensat(
      String path,
      long atimeSeconds,
      long atimeNanos,
      long mtimeSeconds,
      long mtimeNanos,
      int flags)
      throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment times = arena.allocate(JAVA_LONG, 4);
      times.setAtIndex(JAVA_LONG, 0, atimeSeconds);
      times.setAtIndex(JAVA_LONG, 1, atimeNanos);
      times.setAtIndex(JAVA_LONG, 2, mtimeSeconds);
      times.setAtIndex(JAVA_LONG, 3, mtimeNanos);
      MemorySegment state = arena.allocate(CALL_STATE);
      int result =
          (int) UTIMENSAT.invokeExact(state, AT_FDCWD, arena.allocateFrom(path), times, flags);
      return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
    }
  }
}
