package io.backupagents.common.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * A pipe's capacity, through Linux's {@code fcntl} called with the foreign function API. Compiled
 * for Java 22 and only loaded there, see {@link PipeReading}.
 */
@SuppressWarnings("restricted") // native access is the point of this class
final class LinuxPipes {

  private static final int F_SETPIPE_SZ = 1031;
  private static final int F_GETPIPE_SZ = 1032;

  private static final MethodHandle FCNTL;

  static {
    Linker linker = Linker.nativeLinker();
    FCNTL =
        linker.downcallHandle(
            linker.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
  }

  private LinuxPipes() {}

  /**
   * Asks the pipe {@code fd} is an end of to hold {@code bytes} (the system may refuse: the limit
   * is {@code /proc/sys/fs/pipe-max-size}) and returns what it holds now.
   */
  static int widen(int fd, int bytes) throws IOException {
    try {
      int refusedOrNot = (int) FCNTL.invokeExact(fd, F_SETPIPE_SZ, bytes); // checked below
      int capacity = (int) FCNTL.invokeExact(fd, F_GETPIPE_SZ, 0);
      if (capacity <= 0) {
        throw new IOException("descriptor " + fd + " is not a pipe (" + refusedOrNot + ")");
      }
      return capacity;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
  }
}
