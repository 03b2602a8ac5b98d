package io.backupagents.sqlbackup.store;

import io.backupagents.common.fs.AtomicFiles;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.sqlbackup.lock.RunLock;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session of the legacy s3fs mode: dumps go to a local directory, then to the bucket. */
public final class BucketSession implements StoreSession {

  private static final Logger log = LoggerFactory.getLogger(BucketSession.class);
  private static final String TEMP_PREFIX = AtomicFiles.TEMP_PREFIX + "sql-backup-";

  private final BucketBackupStore store;
  private final RunLock lock;
  private final S3Connection connection;
  private final Path tempDir;

  public BucketSession(
      BucketBackupStore store, RunLock lock, S3Connection connection, Path tempDir) {
    this.store = store;
    this.lock = lock;
    this.connection = connection;
    this.tempDir = tempDir;
  }

  @Override
  public BackupStore store() {
    return store;
  }

  @Override
  public Path tempFor(Tier tier, BackupName name) throws IOException {
    Files.createDirectories(tempDir);
    return tempDir.resolve(
        TEMP_PREFIX
            + name.fileName()
            + "."
            + java.util.UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  public void removeLeftovers() throws IOException {
    if (!Files.isDirectory(tempDir)) {
      return;
    }
    List<Path> stale;
    try (Stream<Path> files = Files.list(tempDir)) {
      stale = files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList();
    }
    for (Path p : stale) {
      log.warn("removing {} left by an interrupted run", p);
      Files.deleteIfExists(p);
    }
  }

  @Override
  public void close() {
    try {
      lock.close();
    } finally {
      connection.close();
    }
  }
}
