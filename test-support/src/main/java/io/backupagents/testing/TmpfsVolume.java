package io.backupagents.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real, small file system (tmpfs) mounted for one test, to be filled up or made read-only as a
 * volume can be. Mounting needs root, as the tests run in CI; elsewhere the test fails.
 */
public final class TmpfsVolume implements AutoCloseable {

  private final Path mountPoint;

  private TmpfsVolume(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code sizeKib} KiB at {@code mountPoint} (created if needed). */
  public static TmpfsVolume mount(Path mountPoint, int sizeKib) throws IOException {
    Files.createDirectories(mountPoint);
    Commands.run(
        List.of(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + sizeKib + "k,mode=0755",
            "tmpfs",
            mountPoint.toString()),
        Map.of());
    return new TmpfsVolume(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Fills the file system to the last byte with a file named {@code name}. */
  public void fill(String name) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(mountPoint.resolve(name))) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  /** Remounts the file system read-only, as a volume mounted with readOnly: true is. */
  public void makeReadOnly() {
    Commands.run(List.of("mount", "-o", "remount,ro", mountPoint.toString()), Map.of());
  }

  @Override
  public void close() {
    Commands.run(List.of("umount", "-l", mountPoint.toString()), Map.of());
  }
}
