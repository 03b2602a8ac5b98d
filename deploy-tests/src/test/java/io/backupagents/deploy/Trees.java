package io.backupagents.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A small media-like tree, and a description of a tree to compare copies by. */
final class Trees {

  private Trees() {}

  /** Nested directories, an empty one, odd names and modes, a symlink, fixed modification times. */
  static void makeMediaLikeTree(Path root) throws IOException {
    Instant time = Instant.parse("2024-05-17T09:30:00.123456789Z");
    for (int set = 1; set <= 3; set++) {
      Path dir = Files.createDirectories(root.resolve("media/compound-sets/set-" + set));
      for (int i = 1; i <= 5; i++) {
        Path file = dir.resolve(String.format("ligand_%04d.sdf", i));
        Files.writeString(file, ("ligand " + set + "/" + i + "\n").repeat(200 * i));
        Files.setLastModifiedTime(file, FileTime.from(time.plusSeconds(set * 100L + i)));
      }
    }
    Files.createDirectories(root.resolve("media/targets/Mpro/aligned"));
    Path notes = root.resolve("media/targets/Mpro/Größe ✓ notes.txt");
    Files.writeString(notes, "non-ASCII name\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("r--r--r--"));
    Path script = root.resolve("media/targets/run.sh");
    Files.writeString(script, "#!/bin/sh\necho ok\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(root.resolve("media/readme.txt"), "media volume\n");
    Files.createSymbolicLink(root.resolve("media/latest"), Path.of("compound-sets/set-3"));
    // Directory times last: writing into a directory changes its time.
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        Files.setLastModifiedTime(d, FileTime.from(time));
      }
    }
  }

  /** One line per entry: path, type, permissions, size, modification time, content digest. */
  static List<String> describe(Path root) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted().toList()) {
        if (p.equals(root)) {
          continue;
        }
        PosixFileAttributes a =
            Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String rel = root.relativize(p).toString();
        if (a.isSymbolicLink()) {
          lines.add(rel + " -> " + Files.readSymbolicLink(p));
        } else if (a.isDirectory()) {
          lines.add(
              rel
                  + "/ "
                  + PosixFilePermissions.toString(a.permissions())
                  + " "
                  + a.lastModifiedTime());
        } else {
          lines.add(
              rel
                  + " "
                  + PosixFilePermissions.toString(a.permissions())
                  + " "
                  + a.size()
                  + " "
                  + a.lastModifiedTime()
                  + " "
                  + sha256(p));
        }
      }
    }
    return lines;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
