package io.backupagents.replicator.execute;

/** Where a run reads from: a directory tree or the objects under a bucket prefix. */
public sealed interface SourceSide permits DirectorySource, S3Source {}
