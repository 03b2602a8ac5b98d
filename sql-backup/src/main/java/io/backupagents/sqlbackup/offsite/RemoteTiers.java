package io.backupagents.sqlbackup.offsite;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.store.StoredBackup;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What each tier holds in a bucket, from one listing: for metrics and the list action. */
public final class RemoteTiers {

  private static final Logger log = LoggerFactory.getLogger(RemoteTiers.class);

  private RemoteTiers() {}

  /** The backups below {@code location}, per tier, oldest first. */
  public static Map<Tier, List<StoredBackup>> list(S3Store s3, S3Location location) {
    List<RemoteObject> objects = s3.listAll(location.listPrefix());
    Set<String> keys = new HashSet<>();
    objects.forEach(o -> keys.add(o.key()));
    Map<Tier, List<StoredBackup>> result = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      result.put(t, new ArrayList<>());
    }
    for (RemoteObject o : objects) {
      Optional<String> rel = location.relativize(o.key());
      if (rel.isEmpty()) {
        continue;
      }
      String[] parts = rel.get().split("/");
      if (parts.length != 2) {
        continue;
      }
      Optional<Tier> tier =
          java.util.Arrays.stream(Tier.values())
              .filter(t -> t.directoryName().equals(parts[0]))
              .findFirst();
      Optional<BackupName> name = BackupName.parse(parts[1]);
      if (tier.isPresent() && name.isPresent()) {
        boolean sum = ChecksumRecord.findKey(o.key(), name.get(), keys).isPresent();
        result
            .get(tier.get())
            .add(new StoredBackup(tier.get(), name.get(), o.size(), o.lastModified(), sum));
      }
    }
    result.values().forEach(l -> l.sort(null));
    return result;
  }

  /** Records what each tier holds remotely; a failed listing is logged, not fatal. */
  public static void report(S3Store s3, S3Location location, SqlBackupMetrics metrics) {
    try {
      list(s3, location)
          .forEach(
              (tier, backups) ->
                  metrics.retained(
                      tier.directoryName(),
                      "s3",
                      backups.size(),
                      backups.stream().mapToLong(StoredBackup::size).sum(),
                      backups.isEmpty() ? null : backups.get(backups.size() - 1).name().time()));
    } catch (RuntimeException e) {
      log.warn("could not list {} for the metrics: {}", location, e.getMessage());
    }
  }
}
