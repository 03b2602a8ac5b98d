package io.backupagents.common.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deletion of whole directory trees: the one implementation the agents use. */
public final class FileTrees {

  private FileTrees() {}

  /**
   * Deletes {@code path} and, when it is a directory, everything under it. Symbolic links are
   * deleted, not followed; what is already gone (or vanishes meanwhile) is nothing to delete. It
   * deletes as much as it can, then throws the first failure when something is left.
   */
  public static void delete(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Deleter deleter = new Deleter();
    Files.walkFileTree(path, deleter);
    if (deleter.failure != null) {
      throw deleter.failure;
    }
  }

  /**
   * Deletes {@code dir} and everything under it as far as it can, for clean-ups that must not
   * throw; returns false when something is left.
   */
  public static boolean deleteTree(Path dir) {
    try {
      delete(dir);
      return true;
    } catch (IOException | RuntimeException e) {
      return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static final class Deleter extends SimpleFileVisitor<Path> {
    private IOException failure;

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        failed(e);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      if (!(e instanceof NoSuchFileException)) {
        failed(e);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
      if (e != null && !(e instanceof NoSuchFileException)) {
        failed(e);
      }
      try {
        Files.deleteIfExists(dir);
      } catch (IOException deleting) {
        failed(deleting);
      }
      return FileVisitResult.CONTINUE;
    }

    private void failed(IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
  }
}
