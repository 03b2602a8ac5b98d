package io.backupagents.sqlbackup.offsite;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Location;
import io.backupagents.sqlbackup.model.BackupName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a mirror run from a local scan and a remote listing (ListObjectsV2 pages: size, ETag and
 * upload time, no HEAD per object).
 *
 * <p>A file counts as already there when an object of the same key and size was stored after the
 * file was last modified: backups never change after they are published, so this holds for
 * everything we or rclone uploaded. A same-size object older than the file (a rewrite after the
 * upload, or a server clock behind ours) is checked by content hash. Deletions only ever touch our
 * own names (backups and their checksum records), and the deletion guard may refuse them.
 */
public final class MirrorPlanner {

  private MirrorPlanner() {}

  /** The deletion policy: whether to delete at all, and the guard's limit in percent. */
  public record Policy(boolean delete, int maxDeletePercent) {}

  public static MirrorPlan plan(
      List<LocalFile> local, List<RemoteObject> remote, S3Location location, Policy policy) {
    Map<String, RemoteObject> byPath = new HashMap<>();
    int remoteBackups = 0;
    for (RemoteObject o : remote) {
      Optional<String> rel = location.relativize(o.key());
      if (rel.isPresent()) {
        byPath.put(rel.get(), o);
        remoteBackups += isBackup(rel.get()) ? 1 : 0;
      }
    }
    List<LocalFile> uploads = new ArrayList<>();
    List<MirrorPlan.Verification> verify = new ArrayList<>();
    int unchanged = 0;
    int localBackups = 0;
    int newBackups = 0;
    for (LocalFile f : local) {
      boolean backup = isBackup(f.relativePath());
      localBackups += backup ? 1 : 0;
      RemoteObject o = byPath.remove(f.relativePath());
      if (o == null || o.size() != f.size()) {
        uploads.add(f);
        newBackups += backup && o == null ? 1 : 0;
      } else if (o.lastModified() != null && !o.lastModified().isBefore(f.modified())) {
        unchanged++;
      } else {
        verify.add(new MirrorPlan.Verification(f, o));
      }
    }
    // What is left in byPath exists remotely only: ours may go, anything else stays.
    List<RemoteObject> extra =
        byPath.values().stream().sorted(java.util.Comparator.comparing(RemoteObject::key)).toList();
    List<RemoteObject> ours =
        extra.stream().filter(o -> isOurs(location.relativize(o.key()).orElse(""))).toList();
    int foreign = extra.size() - ours.size();
    List<RemoteObject> deletions = policy.delete() ? ours : List.of();
    long deletedBackups =
        deletions.stream().filter(o -> isBackup(location.relativize(o.key()).orElse(""))).count();
    Optional<String> refusal =
        guard(localBackups, deletedBackups, remoteBackups + newBackups, policy, location);
    return new MirrorPlan(uploads, verify, unchanged, deletions, remoteBackups, foreign, refusal);
  }

  static Optional<String> guard(
      int localBackups, long deleting, int remoteTotal, Policy policy, S3Location location) {
    if (deleting == 0) {
      return Optional.empty();
    }
    if (localBackups == 0) {
      return Optional.of(
          "the backup root holds no backup: refusing to delete "
              + deleting
              + " backups from "
              + location
              + " (an empty or unmounted volume must not wipe the off-site copy)");
    }
    if (deleting * 100 > (long) policy.maxDeletePercent() * remoteTotal) {
      return Optional.of(
          "the mirror would delete "
              + deleting
              + " of "
              + remoteTotal
              + " backups in "
              + location
              + ", more than BACKUP_S3_MAX_DELETE_PERCENT="
              + policy.maxDeletePercent()
              + "%: refusing; check the backup volume, or raise the limit for one run");
    }
    return Optional.empty();
  }

  /**
   * A backup or a backup's checksum record (under its name, or the one earlier versions gave it),
   * in any directory below the root.
   */
  static boolean isOurs(String relativePath) {
    String name = fileName(relativePath);
    return BackupName.parse(name).isPresent() || BackupName.parseChecksumFileName(name).isPresent();
  }

  static boolean isBackup(String relativePath) {
    return BackupName.parse(fileName(relativePath)).isPresent();
  }

  private static String fileName(String relativePath) {
    return relativePath.substring(relativePath.lastIndexOf('/') + 1);
  }
}
