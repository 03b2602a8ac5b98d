package io.backupagents.replicator.execute;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * {@code chown(uid, gid)} in one system call. The JDK has it, but only reachable through the
 * internal view when the jar opens {@code java.base/sun.nio.fs} (its manifest does); elsewhere the
 * owner and group are set one after the other through the public attribute names.
 */
final class PosixCalls {

  private static final MethodHandle SET_OWNERS;
  private static final Class<?> VIEW;

  static {
    MethodHandle setOwners = null;
    Class<?> view = null;
    try {
      view = Class.forName("sun.nio.fs.UnixFileAttributeViews$Posix");
      setOwners =
          MethodHandles.privateLookupIn(view, MethodHandles.lookup())
              .findVirtual(
                  view, "setOwners", MethodType.methodType(void.class, int.class, int.class))
              .asType(MethodType.methodType(void.class, Object.class, int.class, int.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      setOwners = null;
    }
    SET_OWNERS = setOwners;
    VIEW = setOwners == null ? null : view;
  }

  private PosixCalls() {}

  /** Sets owner and group; symlinks themselves when {@code noFollow}. */
  static void chown(Path path, int uid, int gid, boolean noFollow) throws IOException {
    LinkOption[] options =
        noFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
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
}
