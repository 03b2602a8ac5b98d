package io.backupagents.sqlbackup.source;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds backups one tier level down ({@code <root>/<tier>/backup*}, as both legacy layouts have
 * them) in local directories and under an S3 prefix, and merges copies of the same name into one
 * backup. Only names that parse as our backups count; checksum records and temporary files do not.
 */
final class BackupFinder {

  /** A copy of a backup, with the name it was found under. */
  record Entry(BackupName name, BackupCopy copy) {}

  private BackupFinder() {}

  /** Every backup under {@code root}'s tier directories; nothing when the root does not exist. */
  static List<Entry> scanLocal(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Entry> found = new ArrayList<>();
    for (Path tier : sortedChildren(root)) {
      if (!Files.isDirectory(tier) || tier.getFileName().toString().startsWith(".")) {
        continue;
      }
      for (Path file : sortedChildren(tier)) {
        Optional<BackupName> name = BackupName.parse(file.getFileName().toString());
        if (name.isEmpty() || !Files.isRegularFile(file)) {
          continue;
        }
        found.add(
            new Entry(
                name.get(),
                new BackupCopy.Local(
                    file, Files.size(file), ChecksumRecord.find(tier, name.get()))));
      }
    }
    return found;
  }

  /** The backups in a listing of {@code location}: keys of the form {@code <tier>/<name>}. */
  static List<Entry> fromListing(S3Location location, List<RemoteObject> objects) {
    Set<String> keys = new HashSet<>();
    objects.forEach(o -> keys.add(o.key()));
    List<Entry> found = new ArrayList<>();
    for (RemoteObject object : objects) {
      String relative = location.relativize(object.key()).orElse("");
      int slash = relative.indexOf('/');
      if (slash <= 0 || slash != relative.lastIndexOf('/')) {
        continue; // not <tier>/<name>: the root itself, or deeper than one tier level
      }
      Optional<BackupName> name = BackupName.parse(relative.substring(slash + 1));
      if (name.isEmpty()) {
        continue;
      }
      found.add(
          new Entry(
              name.get(),
              new BackupCopy.Remote(
                  location,
                  object.key(),
                  object.size(),
                  ChecksumRecord.findKey(object.key(), name.get(), keys))));
    }
    return found;
  }

  /** One backup per name, newest first, its copies in the order they were found. */
  static List<FoundBackup> merge(List<Entry> entries) {
    Map<String, List<BackupCopy>> copies = new LinkedHashMap<>();
    Map<String, BackupName> names = new LinkedHashMap<>();
    for (Entry e : entries) {
      names.putIfAbsent(e.name().fileName(), e.name());
      copies.computeIfAbsent(e.name().fileName(), k -> new ArrayList<>()).add(e.copy());
    }
    return names.values().stream()
        .sorted(Comparator.reverseOrder())
        .map(n -> new FoundBackup(n, copies.get(n.fileName())))
        .toList();
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }
}
