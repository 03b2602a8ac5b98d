package io.backupagents.replicator.testing;

import io.backupagents.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A source tree with everything that trips mirrors up: odd modes (setuid, setgid, sticky, read-only
 * directories), other owners, nanosecond times, empty directories, symlinks (relative, absolute,
 * dangling, to a directory), spaces and non-ASCII names, names that look like our temporary files,
 * hard links and a FIFO.
 */
public final class TrickyTree {

  public static final String FIFO = "pipes/fifo";

  private TrickyTree() {}

  public static void create(Path root) throws IOException {
    Files.createDirectories(root);
    file(root, "plain.txt", "hello\n", 0644, 1_600_000_000_123_456_789L);
    file(root, "with space and ünïcödé.txt", "spaces\n", 0600, 1_600_000_001_000_000_001L);
    file(root, "日本語/写真 1.jpg", "jpeg?\n", 0644, 1_600_000_002_500_000_000L);
    file(root, "emoji/\uD83D\uDE00.png", "png\n", 0644, 1_600_000_003_000_000_000L);
    file(root, "bin/setuid-tool", "#!/bin/sh\n", 04755, 1_600_000_004_000_000_000L);
    file(root, "bin/setgid-tool", "#!/bin/sh\n", 02750, 1_600_000_005_000_000_000L);
    file(root, "bin/no-access", "secret\n", 0000, 1_600_000_006_000_000_000L);
    file(root, "-rf", "dash\n", 0644, 1_600_000_007_000_000_000L);
    file(root, ".vr-tmp-photo.jpg.deadbeef", "looks like ours\n", 0644, 1_600_000_008_000_000_000L);
    file(
        root, ".tmp-photo.jpg.deadbeef", "another tool's temp\n", 0644, 1_600_000_008_500_000_000L);
    file(root, "zero", "", 0644, 1_600_000_009_000_000_000L);
    byte[] big = new byte[3 * 1024 * 1024 + 7];
    new Random(7).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    times(root.resolve("big.bin"), 1_600_000_010_000_000_000L);
    file(root, "owned/by-other", "other\n", 0640, 1_600_000_011_000_000_000L);
    Files.setAttribute(root.resolve("owned/by-other"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(root.resolve("owned/by-other"), "unix:gid", 5678, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(
        root.resolve("owned/by-other"), "unix:mode", 0640, LinkOption.NOFOLLOW_LINKS);
    Files.createLink(root.resolve("owned/hard-link"), root.resolve("plain.txt"));
    Files.createDirectories(root.resolve("empty/nested-empty"));
    Files.createDirectories(root.resolve("links"));
    Files.createSymbolicLink(root.resolve("links/relative"), Path.of("../plain.txt"));
    Files.createSymbolicLink(root.resolve("links/absolute-outside"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("links/dangling"), Path.of("nowhere/at/all"));
    Files.createSymbolicLink(root.resolve("links/to-directory"), Path.of("../bin"));
    Files.createDirectories(root.resolve("pipes"));
    Commands.run(List.of("mkfifo", root.resolve(FIFO).toString()));
    // Not through the JDK: it opens the file to set times, which blocks on a FIFO.
    Commands.run(List.of("touch", "-h", "-m", "-d", "@1600000012", root.resolve(FIFO).toString()));
    Files.setAttribute(root.resolve("links/dangling"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
    Files.createDirectories(root.resolve("shared"));
    Files.setAttribute(root.resolve("shared"), "unix:mode", 01777);
    file(root, "read-only-dir/inside.txt", "ro\n", 0444, 1_600_000_014_000_000_000L);
    Files.setAttribute(root.resolve("read-only-dir"), "unix:mode", 0555);
    directoryTimes(root);
  }

  /**
   * Gives every directory and symlink a fixed time (directories after their contents are made).
   * Fixed, distinct seconds also keep rsync honest: it leaves a symlink's time alone when it falls
   * within the same second as its source's, which a fresh link's creation time can.
   */
  public static void directoryTimes(Path root) throws IOException {
    try (var links = Files.walk(root)) {
      long t = 1_400_000_000_000_000_000L;
      for (Path l : links.filter(Files::isSymbolicLink).toList()) {
        times(l, t += 2_000_000_321L);
      }
    }
    try (var dirs = Files.walk(root)) {
      List<Path> all = dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
      long t = 1_500_000_000_000_000_000L;
      for (Path d : all.reversed()) {
        times(d, t += 1_000_000_123L);
      }
    }
  }

  public static void file(Path root, String path, String content, int mode, long mtimeNanos)
      throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setAttribute(p, "unix:mode", mode);
    times(p, mtimeNanos);
  }

  public static void times(Path p, long mtimeNanos) throws IOException {
    Files.getFileAttributeView(
            p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
  }
}
