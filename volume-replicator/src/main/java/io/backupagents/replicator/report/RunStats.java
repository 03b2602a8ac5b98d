package io.backupagents.replicator.report;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a run did, counted by every thread that does part of it; the summary, the progress lines and
 * the metrics all read these counters.
 */
public final class RunStats {

  // The source, as scanned (all shards see the whole source).
  public final LongAdder sourceFiles = new LongAdder();
  public final LongAdder sourceBytes = new LongAdder();
  public final LongAdder sourceDirectories = new LongAdder();
  public final LongAdder sourceLinks = new LongAdder();
  public final LongAdder sourceSpecials = new LongAdder();
  public final LongAdder targetEntries = new LongAdder();

  // What was done.
  public final LongAdder plannedCopies = new LongAdder();
  public final LongAdder plannedBytes = new LongAdder();
  public final LongAdder copiedFiles = new LongAdder();
  public final LongAdder copiedBytes = new LongAdder();
  public final LongAdder createdFiles = new LongAdder();
  public final LongAdder createdDirectories = new LongAdder();
  public final LongAdder links = new LongAdder();
  public final LongAdder unchanged = new LongAdder();
  public final LongAdder attributeUpdates = new LongAdder();
  public final LongAdder timeUpdates = new LongAdder();
  public final LongAdder deletedFiles = new LongAdder();
  public final LongAdder deletedDirectories = new LongAdder();
  public final LongAdder tempsRemoved = new LongAdder();
  public final LongAdder skipped = new LongAdder();
  public final LongAdder checked = new LongAdder();

  // What went wrong.
  public final LongAdder vanished = new LongAdder();
  public final LongAdder errors = new LongAdder();
  public final LongAdder readErrors = new LongAdder();
  public final LongAdder warnings = new LongAdder();
  public final LongAdder ownerRefusals = new LongAdder();
  public final LongAdder deletionRefusals = new LongAdder();

  // S3 requests (operations; a multipart upload counts once).
  public final LongAdder s3Lists = new LongAdder();
  public final LongAdder s3Heads = new LongAdder();
  public final LongAdder s3Puts = new LongAdder();
  public final LongAdder s3Gets = new LongAdder();
  public final LongAdder s3Copies = new LongAdder();
  public final LongAdder s3Deletes = new LongAdder();
  public final LongAdder manifestHits = new LongAdder();

  /** Entries of the plan handled so far, for the progress line. */
  public final LongAdder handled = new LongAdder();

  /** Deletions the plan asked for (this shard, non-directories). */
  public final LongAdder plannedDeletions = new LongAdder();

  public long s3Requests() {
    return s3Lists.sum()
        + s3Heads.sum()
        + s3Puts.sum()
        + s3Gets.sum()
        + s3Copies.sum()
        + s3Deletes.sum();
  }
}
