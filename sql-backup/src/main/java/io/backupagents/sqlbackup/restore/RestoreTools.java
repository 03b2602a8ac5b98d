package io.backupagents.sqlbackup.restore;

import io.backupagents.common.process.ProcessRunner;
import io.backupagents.sqlbackup.HostEnvironment;
import io.backupagents.sqlbackup.backup.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Picks the client tool a backup format needs, of a major version the server accepts. */
final class RestoreTools {

  private RestoreTools() {}

  /** psql for plain SQL, pg_restore for archives, from PG_BIN_DIR, the install root or PATH. */
  static ClientTools.Clients forServer(
      HostEnvironment host,
      PostgresSettings postgres,
      ProcessRunner runner,
      int serverMajor,
      BackupName.Format format)
      throws InterruptedException {
    List<Path> path =
        host.path() == null
            ? List.of()
            : Stream.of(host.path().split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    ClientTools tools = new ClientTools(postgres.binDir(), host.pgInstallRoot(), path, runner);
    return format.plain()
        ? tools.forServer(serverMajor, "psql")
        : tools.forServer(serverMajor, "pg_restore");
  }
}
