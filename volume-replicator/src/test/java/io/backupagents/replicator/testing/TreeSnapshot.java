package io.backupagents.replicator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Everything about a directory tree that rsync -a keeps, per relative path: type, mode, size,
 * modification time (ns), symlink target, owner and group, and a digest of file contents. Two trees
 * are equal for a mirror when their snapshots are.
 */
public record TreeSnapshot(Map<String, String> entries) {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /** Snapshots {@code root}; the root directory itself is recorded as ".". */
  public static TreeSnapshot of(Path root) {
    return of(root, true);
  }

  /** Snapshots {@code root}; {@code directoryTimes} false leaves directory times out. */
  public static TreeSnapshot of(Path root, boolean directoryTimes) {
    Map<String, String> map = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String rel = root.relativize(p).toString();
        map.put(rel.isEmpty() ? "." : rel, describe(p, directoryTimes));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TreeSnapshot(map);
  }

  private static String describe(Path p, boolean directoryTimes) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW);
    int mode = (Integer) a.get("mode");
    String type =
        Files.isSymbolicLink(p)
            ? "link"
            : Files.isDirectory(p, NOFOLLOW)
                ? "dir"
                : Files.isRegularFile(p, NOFOLLOW) ? "file" : "special";
    long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    StringBuilder sb = new StringBuilder(type);
    if (!type.equals("link")) {
      sb.append(" mode=").append(Integer.toOctalString(mode & 07777));
    }
    sb.append(" uid=").append(a.get("uid")).append(" gid=").append(a.get("gid"));
    if (!type.equals("dir") || directoryTimes) {
      sb.append(" mtime=").append(mtime);
    }
    switch (type) {
      case "file" -> sb.append(" size=").append(a.get("size")).append(" md5=").append(md5(p));
      case "link" -> sb.append(" -> ").append(Files.readSymbolicLink(p));
      default -> {}
    }
    return sb.toString();
  }

  private static String md5(Path p) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The paths whose description differs, with both descriptions, for assertion messages. */
  public List<String> differences(TreeSnapshot other) {
    List<String> diff = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(entries.keySet());
    keys.addAll(other.entries.keySet());
    for (String k : keys) {
      String a = entries.get(k);
      String b = other.entries.get(k);
      if (a == null || !a.equals(b)) {
        diff.add(k + ":\n    " + a + "\n    " + b);
      }
    }
    return diff;
  }

  /** The same snapshot without the given paths. */
  public TreeSnapshot without(String... paths) {
    Map<String, String> copy = new TreeMap<>(entries);
    for (String p : paths) {
      copy.remove(p);
    }
    return new TreeSnapshot(copy);
  }
}
