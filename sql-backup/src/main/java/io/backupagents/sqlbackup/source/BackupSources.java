package io.backupagents.sqlbackup.source;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Location;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where backups are looked for: the local directories and, when configured, buckets (the legacy
 * s3fs mode's tiers, the off-site copy), each with one listing of its prefix, never a download of
 * everything. Owns the S3 connections it opens.
 */
public final class BackupSources implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackupSources.class);

  private final List<Path> roots;
  private final Map<S3Location, S3Settings> buckets;
  private final Map<S3Location, S3Connection> connections = new LinkedHashMap<>();
  private final Map<S3Location, S3Store> stores = new HashMap<>();

  public BackupSources(List<Path> roots, Map<S3Location, S3Settings> buckets) {
    this.roots = List.copyOf(roots);
    this.buckets = new LinkedHashMap<>(buckets);
  }

  /** Every backup found, newest first, copies of the same name merged (local copies first). */
  public List<FoundBackup> find() {
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
    for (S3Location location : buckets.keySet()) {
      var objects = store(location).listAll(location.listPrefix());
      List<BackupFinder.Entry> remote = BackupFinder.fromListing(location, objects);
      log.info("{}: {} backup objects", location, remote.size());
      entries.addAll(remote);
    }
    return BackupFinder.merge(entries);
  }

  /** Where the search looks, for messages: e.g. {@code /recovery, /backup, s3://bucket/prefix}. */
  public String describe() {
    return Stream.concat(
            roots.stream().map(Path::toString), buckets.keySet().stream().map(S3Location::toString))
        .collect(Collectors.joining(", "));
  }

  /** The store of the bucket {@code location} is in; created on first use. */
  S3Store store(S3Location location) {
    return stores.computeIfAbsent(
        location,
        l -> {
          S3Settings s3 = buckets.get(l);
          if (s3 == null) {
            throw new IllegalStateException("no S3 location " + l);
          }
          S3Connection connection = S3Connection.open(s3);
          connections.put(l, connection);
          return new S3Store(connection, l.bucket());
        });
  }

  @Override
  public void close() {
    connections.values().forEach(S3Connection::close);
  }
}
