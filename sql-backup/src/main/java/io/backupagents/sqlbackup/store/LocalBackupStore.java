package io.backupagents.sqlbackup.store;

import io.backupagents.common.fs.AtomicFiles;
import io.backupagents.sqlbackup.backup.BackupName;
import io.backupagents.sqlbackup.backup.Tier;
import io.backupagents.sqlbackup.dump.VerifiedDump;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tiers as directories below the backup root: {@code <root>/<tier>/backup-…}. */
public final class LocalBackupStore implements BackupStore {

  private static final Logger log = LoggerFactory.getLogger(LocalBackupStore.class);

  private final Path root;

  public LocalBackupStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path tierDirectory(Tier tier) {
    return root.resolve(tier.directoryName());
  }

  /** The tier's directory, created if missing. */
  public Path ensureTier(Tier tier) throws IOException {
    return Files.createDirectories(tierDirectory(tier));
  }

  /** Where a dump for {@code name} is written before it is published: hidden, same directory. */
  public Path tempFor(Tier tier, BackupName name) {
    return AtomicFiles.tempSibling(tierDirectory(tier).resolve(name.fileName()));
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public String location() {
    return "local";
  }

  @Override
  public List<StoredBackup> list(Tier tier) throws IOException {
    Path dir = tierDirectory(tier);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StoredBackup> result = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Optional<BackupName> name = BackupName.parse(p.getFileName().toString());
        if (name.isEmpty()) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
          continue;
        }
        boolean checksum = Files.isRegularFile(dir.resolve(name.get().checksumFileName()));
        result.add(
            new StoredBackup(
                tier, name.get(), a.size(), a.lastModifiedTime().toInstant(), checksum));
      }
    }
    result.sort(null);
    return result;
  }

  @Override
  public StoredBackup publish(VerifiedDump dump, Tier tier) throws IOException {
    Path dir = ensureTier(tier);
    Path target = dir.resolve(dump.name().fileName());
    AtomicFiles.write(
        dir.resolve(dump.name().checksumFileName()),
        ChecksumFile.content(dump.sha256(), dump.name().fileName()));
    // The dump was written and fsynced under a hidden name in this directory: the rename makes
    // the complete file appear under its backup name at once, or not at all.
    AtomicFiles.publish(dump.file(), target);
    return stored(tier, dump.name(), target, true);
  }

  @Override
  public StoredBackup promote(Tier from, BackupName name, Tier to) throws IOException {
    Path source = tierDirectory(from).resolve(name.fileName());
    Path dir = ensureTier(to);
    Path target = dir.resolve(name.fileName());
    Path temp = AtomicFiles.tempSibling(target);
    try {
      boolean linked = linkOrCopy(source, temp);
      Path sourceSum = tierDirectory(from).resolve(name.checksumFileName());
      boolean checksum = Files.isRegularFile(sourceSum);
      if (checksum) {
        if (!linked) {
          verifyCopy(sourceSum, temp, name);
        }
        AtomicFiles.write(dir.resolve(name.checksumFileName()), Files.readAllBytes(sourceSum));
      }
      AtomicFiles.publish(temp, target);
      log.info("promoted {} from {} to {} ({})", name, from, to, linked ? "hard link" : "copy");
      return stored(to, name, target, checksum);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void delete(Tier tier, BackupName name) throws IOException {
    Path dir = tierDirectory(tier);
    Files.deleteIfExists(dir.resolve(name.fileName()));
    Files.deleteIfExists(dir.resolve(name.checksumFileName()));
  }

  /**
   * Removes what a killed run left in {@code tier}: hidden temporary files and directories, and
   * checksum files whose backup is gone. Only call this while holding the lock.
   */
  public int removeLeftovers(Tier tier) throws IOException {
    Path dir = tierDirectory(tier);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> leftovers = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            String n = p.getFileName().toString();
            boolean temp = n.startsWith(AtomicFiles.TEMP_PREFIX);
            boolean orphan =
                n.endsWith(BackupName.CHECKSUM_SUFFIX)
                    && BackupName.parse(
                            n.substring(0, n.length() - BackupName.CHECKSUM_SUFFIX.length()))
                        .isPresent()
                    && !Files.exists(
                        p.resolveSibling(
                            n.substring(0, n.length() - BackupName.CHECKSUM_SUFFIX.length())));
            if (temp || orphan) {
              leftovers.add(p);
            }
          });
    }
    for (Path p : leftovers) {
      log.warn("removing {} left by an interrupted run", p);
      deleteTree(p);
    }
    return leftovers.size();
  }

  /** Hard link where the file system allows it (no second copy of a large file), else a copy. */
  private static boolean linkOrCopy(Path source, Path temp) throws IOException {
    try {
      Files.createLink(temp, source);
      return true;
    } catch (UnsupportedOperationException | FileSystemException e) {
      log.info("cannot hard-link {} ({}); copying it", source.getFileName(), e.toString());
      Files.deleteIfExists(temp);
      Files.copy(source, temp, StandardCopyOption.COPY_ATTRIBUTES);
      AtomicFiles.fsync(temp);
      return false;
    }
  }

  private static void verifyCopy(Path sourceSum, Path copy, BackupName name) throws IOException {
    Optional<String> expected = ChecksumFile.parse(Files.readAllBytes(sourceSum));
    if (expected.isPresent() && !expected.get().equals(ChecksumFile.sha256(copy))) {
      throw new IOException("the copy of " + name + " does not match its recorded SHA-256");
    }
  }

  private static StoredBackup stored(Tier tier, BackupName name, Path file, boolean checksum)
      throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new StoredBackup(tier, name, a.size(), a.lastModifiedTime().toInstant(), checksum);
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }
}
