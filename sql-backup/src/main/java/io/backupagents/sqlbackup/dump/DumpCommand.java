package io.backupagents.sqlbackup.dump;

import io.backupagents.sqlbackup.codec.Compression;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.DatabaseNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The argv of one dump: {@code pg_dumpall} of the server or {@code pg_dump} of one database, never
 * with a password in it (libpq reads the password file named in the environment).
 *
 * @param database the database, or empty for {@code pg_dumpall}
 */
public record DumpCommand(Optional<String> database, DumpSettings settings) {

  /** The trailer pg_dump ends a complete plain dump with. */
  public static final String DUMP_COMPLETE = "-- PostgreSQL database dump complete";

  /** The trailer pg_dumpall ends a complete dump with. */
  public static final String CLUSTER_DUMP_COMPLETE = "-- PostgreSQL database cluster dump complete";

  public DumpCommand {
    if (database.isEmpty() && settings.format() != DumpFormat.PLAIN) {
      throw new IllegalArgumentException("pg_dumpall writes plain SQL only");
    }
  }

  /** The tool's name, for logs and errors. */
  public String tool() {
    return database.isPresent() ? "pg_dump" : "pg_dumpall";
  }

  /** The label of the backup file: the database, or {@code dumpall}. */
  public String label() {
    return database.map(BackupName::labelOf).orElse(BackupName.DUMPALL);
  }

  /** The trailer a complete plain dump of this command ends with. */
  public String completeTrailer() {
    return database.isPresent() ? DUMP_COMPLETE : CLUSTER_DUMP_COMPLETE;
  }

  /**
   * The argv of the small pg_dump that reads the database's own properties (encoding, locale,
   * owner, comment, grants, settings): {@code --create} with every schema excluded.
   */
  public List<String> propertiesArgv(ClientTools.Clients clients) {
    return List.of(
        clients.tool("pg_dump"),
        "--no-password",
        "--create",
        "--schema-only",
        "--exclude-schema=*",
        "--dbname=" + DatabaseNames.connInfo(database.orElseThrow()));
  }

  /**
   * The argv. {@code directory} is where a directory-format dump goes (ignored otherwise): plain
   * and custom dumps go to stdout.
   */
  public List<String> argv(ClientTools.Clients clients, Path directory) {
    List<String> argv = new ArrayList<>();
    argv.add(clients.tool(tool()));
    argv.add("--no-password"); // fail at once instead of waiting for a prompt nobody answers
    switch (settings.format()) {
      case PLAIN -> {
        // As the legacy image: a restore drops what it re-creates.
        argv.add("--clean");
        argv.add("--if-exists");
      }
      case CUSTOM -> {
        argv.add("--format=custom");
        argv.add(compress(clients.major()));
      }
      case DIRECTORY -> {
        argv.add("--format=directory");
        argv.add(compress(clients.major()));
        argv.add("--jobs=" + settings.jobs());
        argv.add("--file=" + directory);
      }
    }
    database.ifPresent(db -> argv.add("--dbname=" + DatabaseNames.connInfo(db)));
    return argv;
  }

  /**
   * pg_dump's own compression of an archive: zstd where pg_dump has it (16 and later), else gzip
   * (older clients, or BACKUP_COMPRESSION=gzip) at the level, capped at gzip's 9.
   */
  String compress(int clientMajor) {
    if (settings.compression() == Compression.ZSTD && clientMajor >= 16) {
      return "--compress=zstd:" + settings.compressionLevel();
    }
    return "--compress=" + Math.min(settings.compressionLevel(), Compression.GZIP.maxLevel());
  }
}
