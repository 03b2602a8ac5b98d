package io.backupagents.sqlbackup.offsite;

import io.backupagents.common.s3.RemoteObject;
import java.util.List;
import java.util.Optional;

/**
 * What a mirror run does, decided from one local scan and one remote listing.
 *
 * @param uploads files missing remotely or of another size
 * @param toVerify files of the same size whose local copy changed after the upload (or the clocks
 *     disagree): their content hash decides
 * @param unchanged how many files are already there
 * @param deletions remote backups (and their checksum records) the root no longer has
 * @param remoteBackups how many backups the remote side holds now
 * @param foreign remote objects that are not ours and are left alone
 * @param refusal why the deletion guard refuses the deletions, if it does
 */
public record MirrorPlan(
    List<LocalFile> uploads,
    List<Verification> toVerify,
    int unchanged,
    List<RemoteObject> deletions,
    int remoteBackups,
    int foreign,
    Optional<String> refusal) {

  /** A local file and the remote object of the same size it may or may not equal. */
  public record Verification(LocalFile local, RemoteObject remote) {}

  public MirrorPlan {
    uploads = List.copyOf(uploads);
    toVerify = List.copyOf(toVerify);
    deletions = List.copyOf(deletions);
  }
}
