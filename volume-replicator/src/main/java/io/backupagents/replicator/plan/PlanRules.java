package io.backupagents.replicator.plan;

import io.backupagents.replicator.config.Shard;

/**
 * The rules a sync plan follows.
 *
 * @param directoryTarget the target is a directory tree (else an S3 location)
 * @param delete extraneous target entries are to be deleted
 * @param windowNanos modification times this close count as equal
 * @param checksum files of equal size are compared by content
 * @param owners owner and group are compared (the run is root)
 * @param shard the part of the path space this run owns
 */
public record PlanRules(
    boolean directoryTarget,
    boolean delete,
    long windowNanos,
    boolean checksum,
    boolean owners,
    Shard shard) {}
