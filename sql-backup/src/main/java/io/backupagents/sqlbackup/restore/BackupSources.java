package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.backup.OffsiteSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where backups are looked for: the local directories and, when configured, the off-site bucket
 * (one listing of its prefix, never a download of everything). Owns the S3 connection it opens.
 */
final class BackupSources implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackupSources.class);

  private final List<Path> roots;
  private final Optional<OffsiteSettings> s3;
  private S3Connection connection;
  private S3Store store;

  BackupSources(List<Path> roots, Optional<OffsiteSettings> s3) {
    this.roots = List.copyOf(roots);
    this.s3 = s3;
  }

  /** Every backup found, newest first, copies of the same name merged (local copies first). */
  List<FoundBackup> find() {
    List<BackupFinder.Entry> entries = new ArrayList<>();
    for (Path root : roots) {
      try {
        List<BackupFinder.Entry> local = BackupFinder.scanLocal(root);
        log.info("{}: {} backup files", root, local.size());
        entries.addAll(local);
      } catch (IOException e) {
        throw new AgentException(
            ExitCode.OPERATION_FAILED, "could not list backups in " + root + ": " + e, e);
      }
    }
    if (s3.isPresent()) {
      var location = s3.get().location();
      var objects = store().listAll(location.listPrefix());
      List<BackupFinder.Entry> remote = BackupFinder.fromListing(location, objects);
      log.info("{}: {} backup objects", location, remote.size());
      entries.addAll(remote);
    }
    return BackupFinder.merge(entries);
  }

  /** Where the search looks, for messages: e.g. {@code /recovery, /backup, s3://bucket/prefix}. */
  String describe() {
    return Stream.concat(
            roots.stream().map(Path::toString), s3.stream().map(o -> o.location().toString()))
        .collect(Collectors.joining(", "));
  }

  /** The bucket's store; created on first use. */
  S3Store store() {
    if (store == null) {
      OffsiteSettings o =
          s3.orElseThrow(() -> new IllegalStateException("no S3 location configured"));
      connection = S3Connection.open(o.s3());
      store = new S3Store(connection, o.location().bucket());
    }
    return store;
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
