package io.backupagents.replicator.execute;

/** Where a run writes to: a directory tree or the objects under a bucket prefix. */
public sealed interface TargetSide permits DirectoryTarget, S3Target {}
