package io.backupagents.sqlbackup.offsite;

import io.backupagents.sqlbackup.model.BackupName;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files the mirror copies: every regular file below the root except {@code lost+found} and
 * hidden ones (temporary files, the lock), but with the backups' checksum records, which are hidden
 * so that legacy {@code backup*} globs pass them over. Symbolic links are not followed.
 */
public final class LocalScan {

  private LocalScan() {}

  public static List<LocalFile> scan(Path root) throws IOException {
    List<LocalFile> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            return name.startsWith(".") || name.equals("lost+found")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && copied(file.getFileName().toString())) {
              files.add(
                  new LocalFile(
                      relative(root, file), attrs.size(), attrs.lastModifiedTime().toInstant()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // A temporary file that vanished while we listed is no concern; anything else is.
            if (e instanceof java.nio.file.NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    files.sort(java.util.Comparator.comparing(LocalFile::relativePath));
    return files;
  }

  private static boolean copied(String name) {
    return !name.startsWith(".") || BackupName.parseChecksumFileName(name).isPresent();
  }

  private static String relative(Path root, Path file) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }
}
