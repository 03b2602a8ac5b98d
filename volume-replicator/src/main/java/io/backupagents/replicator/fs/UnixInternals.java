package io.backupagents.replicator.fs;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The JDK's own Unix classes ({@code java.base/sun.nio.fs}, which the jar's manifest opens), for
 * the system calls its public API makes in a roundabout way or not at all: the classes, private
 * lookups into them, and the JDK's own translation of a failed call into the exception its public
 * API throws ({@code NoSuchFileException} and so on). Where they are missing (another JDK, no
 * {@code --add-opens}) the classes are null and every user falls back to the public API.
 */
public final class UnixInternals {

  /** {@code sun.nio.fs.UnixPath}, what the default file system's paths are; null if missing. */
  public static final Class<?> UNIX_PATH = find("sun.nio.fs.UnixPath");

  /** {@code sun.nio.fs.UnixException}, what a failed system call throws; null if missing. */
  public static final Class<?> UNIX_EXCEPTION = find("sun.nio.fs.UnixException");

  /** {@code sun.nio.fs.UnixNativeDispatcher}, the system calls; null if missing. */
  public static final Class<?> DISPATCHER = find("sun.nio.fs.UnixNativeDispatcher");

  private static final MethodHandle RETHROW = rethrowHandle();
  private static final MethodHandle ERRNO = errnoHandle();

  private UnixInternals() {}

  /** Whether the JDK's Unix path, failure and system-call classes are all there. */
  public static boolean available() {
    return UNIX_PATH != null && UNIX_EXCEPTION != null && DISPATCHER != null;
  }

  /** The class {@code name} of {@code java.base}, or null. */
  public static Class<?> find(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /** A lookup with private access to {@code type} (needs the package opened to this module). */
  public static MethodHandles.Lookup in(Class<?> type) throws IllegalAccessException {
    return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
  }

  /**
   * The value of the constant {@code name} of {@code sun.nio.fs.UnixConstants} (an errno, a flag).
   */
  public static int constant(String name) throws ReflectiveOperationException {
    Class<?> constants = Class.forName("sun.nio.fs.UnixConstants");
    try {
      return (int) in(constants).findStaticGetter(constants, name, int.class).invoke();
    } catch (ReflectiveOperationException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new ReflectiveOperationException(name, e);
    }
  }

  /** Whether {@code e} is a failed system call's {@code UnixException}. */
  public static boolean isFailure(Throwable e) {
    return UNIX_EXCEPTION != null && UNIX_EXCEPTION.isInstance(e);
  }

  /** The errno of the failed call {@code unixException}, or -1 if it cannot be read. */
  public static int errno(Throwable unixException) {
    if (ERRNO == null) {
      return -1;
    }
    try {
      return (int) ERRNO.invokeExact((Object) unixException);
    } catch (Throwable e) {
      return -1;
    }
  }

  /**
   * The exception the JDK's public API throws for the failed call {@code unixException} on {@code
   * path} (a {@code UnixPath}).
   */
  public static IOException rethrown(Throwable unixException, Path path) {
    if (RETHROW != null) {
      try {
        RETHROW.invokeExact((Object) unixException, (Object) path);
      } catch (IOException e) {
        return e;
      } catch (Throwable e) {
        // the plain exception below
      }
    }
    return new FileSystemException(String.valueOf(path), null, unixException.getMessage());
  }

  private static MethodHandle rethrowHandle() {
    if (UNIX_PATH == null || UNIX_EXCEPTION == null) {
      return null;
    }
    try {
      return in(UNIX_EXCEPTION)
          .findVirtual(
              UNIX_EXCEPTION, "rethrowAsIOException", MethodType.methodType(void.class, UNIX_PATH))
          .asType(MethodType.methodType(void.class, Object.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static MethodHandle errnoHandle() {
    if (UNIX_EXCEPTION == null) {
      return null;
    }
    try {
      return in(UNIX_EXCEPTION)
          .findVirtual(UNIX_EXCEPTION, "errno", MethodType.methodType(int.class))
          .asType(MethodType.methodType(int.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
