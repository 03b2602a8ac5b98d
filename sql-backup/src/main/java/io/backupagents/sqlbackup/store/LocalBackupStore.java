package io.backupagents.sqlbackup.store;

import io.backupagents.common.fs.AtomicFiles;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        boolean checksum = ChecksumRecord.find(dir, name.get()).isPresent();
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
        ChecksumRecord.content(dump.sha256(), dump.name()));
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
      // The source's record may still have the name earlier versions gave it; the copy gets ours.
      Optional<Path> sourceSum = ChecksumRecord.find(tierDirectory(from), name);
      boolean checksum = sourceSum.isPresent();
      if (checksum) {
        if (!linked) {
          verifyCopy(sourceSum.get(), temp, name);
        }
        AtomicFiles.write(
            dir.resolve(name.checksumFileName()), Files.readAllBytes(sourceSum.get()));
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
    Files.deleteIfExists(dir.resolve(name.legacyChecksumFileName()));
  }

  @Override
  public int tidyRecords(Tier tier) throws IOException {
    Path dir = tierDirectory(tier);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> records;
    try (Stream<Path> files = Files.list(dir)) {
      records =
          files
              .filter(p -> BackupName.parseChecksumFileName(p.getFileName().toString()).isPresent())
              .toList();
    }
    int changed = 0;
    for (Path record : records) {
      String n = record.getFileName().toString();
      BackupName name = BackupName.parseChecksumFileName(n).orElseThrow();
      if (isOrphanRecord(record)) {
        log.warn("removing {}: its backup is gone", record);
        Files.deleteIfExists(record);
        changed++;
      } else if (BackupName.isLegacyChecksumFileName(n)) {
        renameLegacyRecord(record, dir.resolve(name.checksumFileName()));
        changed++;
      }
    }
    return changed;
  }

  /** Gives a record the current name, unless a record under that name is already there. */
  private static void renameLegacyRecord(Path legacy, Path target) throws IOException {
    if (Files.exists(target)) {
      log.info("removing {}: {} records the same backup", legacy, target.getFileName());
      Files.delete(legacy);
    } else {
      log.info("renaming {} to {}", legacy, target.getFileName());
      AtomicFiles.publish(legacy, target);
    }
  }

  /** A checksum record (under either name) whose backup is not in its directory. */
  private static boolean isOrphanRecord(Path p) {
    return BackupName.parseChecksumFileName(p.getFileName().toString())
        .filter(b -> !Files.exists(p.resolveSibling(b.fileName())))
        .isPresent();
  }

  /**
   * Removes what a killed run left in {@code tier}: hidden temporary files and directories, and
   * checksum records whose backup is gone. Only call this while holding the lock.
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
            if (n.startsWith(AtomicFiles.TEMP_PREFIX) || isOrphanRecord(p)) {
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
    Optional<String> expected =
        ChecksumRecord.digest(Files.readString(sourceSum, StandardCharsets.UTF_8));
    if (expected.isPresent() && !expected.get().equals(ChecksumRecord.sha256(copy))) {
      throw new IOException("the copy of " + name + " does not match its recorded SHA-256");
    }
  }

  private static StoredBackup stored(Tier tier, BackupName name, Path file, boolean checksum)
      throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new StoredBackup(tier, name, a.size(), a.lastModifiedTime().toInstant(), checksum);
  }

  private static void deleteTree(Path p) throws IOException {
    FileTrees.delete(p);
  }
}
