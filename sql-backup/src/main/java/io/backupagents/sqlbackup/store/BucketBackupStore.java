package io.backupagents.sqlbackup.store;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tiers as key prefixes of a bucket ({@code <prefix>/<tier>/backup-…}), the legacy s3fs layout,
 * read and written directly. Objects carry rclone's metadata, as the mirror's do.
 */
public final class BucketBackupStore implements BackupStore {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(BucketBackupStore.class);

  // Above this, S3Store.copy goes in parts and needs the metadata to carry over.
  private static final long SINGLE_COPY_LIMIT = 5L << 30;

  private final S3Store store;
  private final S3Location location;

  public BucketBackupStore(S3Connection connection, S3Location location) {
    this.store = new S3Store(connection, location.bucket());
    this.location = location;
  }

  public S3Store s3() {
    return store;
  }

  public S3Location bucketLocation() {
    return location;
  }

  @Override
  public String describe() {
    return location.toString();
  }

  @Override
  public String location() {
    return "s3";
  }

  @Override
  public List<StoredBackup> list(Tier tier) {
    return listObjects(tier).values().stream().map(e -> e.backup).sorted().toList();
  }

  @Override
  public StoredBackup publish(VerifiedDump dump, Tier tier) throws IOException {
    String key = key(tier, dump.name().fileName());
    Instant mtime = Files.getLastModifiedTime(dump.file()).toInstant();
    store.putBytes(
        key(tier, dump.name().checksumFileName()),
        ChecksumRecord.content(dump.sha256(), dump.name()),
        "text/plain");
    // A PUT is atomic: the object appears complete or not at all, so no temporary key is needed.
    store.upload(dump.file(), key, mtime);
    return new StoredBackup(tier, dump.name(), dump.size(), mtime, true);
  }

  @Override
  public StoredBackup promote(Tier from, BackupName name, Tier to) {
    Entry source = listObjects(from).get(name);
    if (source == null) {
      throw new IllegalStateException(name + " is no longer in " + key(from, ""));
    }
    // A server-side copy: the data never leaves the store; rclone's metadata goes along. The
    // source's record may still have the name earlier versions gave it; the copy gets ours.
    copy(source.object, key(to, name.fileName()));
    if (source.checksum.isPresent()) {
      copy(source.checksum.get(), key(to, name.checksumFileName()));
    }
    log.info("promoted {} from {} to {} (server-side copy)", name, from, to);
    return new StoredBackup(
        to, name, source.object.size(), source.backup.modified(), source.checksum.isPresent());
  }

  @Override
  public void delete(Tier tier, BackupName name) {
    store.delete(
        List.of(
            key(tier, name.fileName()),
            key(tier, name.checksumFileName()),
            key(tier, name.legacyChecksumFileName())));
  }

  @Override
  public int tidyRecords(Tier tier) {
    Map<String, RemoteObject> byName = listNames(tier);
    List<String> deletions = new ArrayList<>();
    for (Map.Entry<String, RemoteObject> e : byName.entrySet()) {
      Optional<BackupName> name = BackupName.parseChecksumFileName(e.getKey());
      if (name.isEmpty()) {
        continue;
      }
      if (!byName.containsKey(name.get().fileName())) {
        log.warn("removing {}: its backup is gone", e.getValue().key());
        deletions.add(e.getValue().key());
      } else if (BackupName.isLegacyChecksumFileName(e.getKey())) {
        // Copied first, deleted after: an interrupted run leaves both names, never neither.
        if (!byName.containsKey(name.get().checksumFileName())) {
          copy(e.getValue(), key(tier, name.get().checksumFileName()));
          log.info("renaming {} to {}", e.getValue().key(), name.get().checksumFileName());
        } else {
          log.info("removing {}: a record of the current name exists", e.getValue().key());
        }
        deletions.add(e.getValue().key());
      }
    }
    if (!deletions.isEmpty()) {
      store.delete(deletions);
    }
    return deletions.size();
  }

  private void copy(RemoteObject source, String key) {
    Map<String, String> metadata =
        source.size() > SINGLE_COPY_LIMIT
            ? store.head(source.key()).map(RemoteObject::metadata).orElse(Map.of())
            : null;
    store.copy(store.bucket(), source.key(), source.size(), key, metadata);
  }

  private String key(Tier tier, String fileName) {
    return location.key(tier.directoryName() + "/" + fileName);
  }

  /** A backup object and its checksum record object (under either name), if any. */
  private record Entry(StoredBackup backup, RemoteObject object, Optional<RemoteObject> checksum) {}

  /** The objects of {@code tier}, by their names below the tier's prefix. */
  private Map<String, RemoteObject> listNames(Tier tier) {
    String prefix = location.key(tier.directoryName()) + "/";
    Map<String, RemoteObject> byName = new TreeMap<>();
    store.list(prefix, o -> byName.put(o.key().substring(prefix.length()), o));
    return byName;
  }

  private Map<BackupName, Entry> listObjects(Tier tier) {
    Map<String, RemoteObject> byName = listNames(tier);
    Map<BackupName, Entry> result = new HashMap<>();
    for (Map.Entry<String, RemoteObject> e : new ArrayList<>(byName.entrySet())) {
      Optional<BackupName> name = BackupName.parse(e.getKey());
      if (name.isEmpty()) {
        continue;
      }
      RemoteObject o = e.getValue();
      Optional<RemoteObject> sum =
          Optional.ofNullable(byName.get(name.get().checksumFileName()))
              .or(() -> Optional.ofNullable(byName.get(name.get().legacyChecksumFileName())));
      result.put(
          name.get(),
          new Entry(
              new StoredBackup(tier, name.get(), o.size(), o.lastModified(), sum.isPresent()),
              o,
              sum));
    }
    return result;
  }
}
