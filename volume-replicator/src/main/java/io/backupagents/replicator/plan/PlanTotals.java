package io.backupagents.replicator.plan;

/**
 * Counts the planner keeps for the guards: what the source holds (all shards: an empty source is
 * empty for everyone) and what this shard's part of the target holds and would lose.
 *
 * @param sourceFiles non-directory source entries, all shards
 * @param targetFiles non-directory target entries this shard owns
 * @param deletions non-directory target entries this shard would delete
 */
public record PlanTotals(long sourceFiles, long targetFiles, long deletions) {}
