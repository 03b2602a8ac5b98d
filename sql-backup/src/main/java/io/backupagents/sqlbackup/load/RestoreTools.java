package io.backupagents.sqlbackup.load;

import io.backupagents.common.process.ProcessRunner;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.postgres.ServerProbe;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the client tool a backup format needs: of the server's major or the nearest newer one, else
 * the newest older one (a restore into a newer server, as when staging runs a newer major).
 */
public final class RestoreTools {

  private static final Logger log = LoggerFactory.getLogger(RestoreTools.class);

  private RestoreTools() {}

  /** psql for plain SQL, pg_restore for archives, from PG_BIN_DIR, the install root or PATH. */
  public static ClientTools.Clients forServer(
      HostEnvironment host,
      PostgresSettings postgres,
      ProcessRunner runner,
      int serverMajor,
      BackupName.Format format)
      throws InterruptedException {
    return choose(candidates(host, postgres, runner, format), serverMajor);
  }

  /**
   * Every installed version of the tool {@code format} needs, found before the server's version is
   * known (recover looks while it connects to the server).
   */
  public static Candidates candidates(
      HostEnvironment host,
      PostgresSettings postgres,
      ProcessRunner runner,
      BackupName.Format format)
      throws InterruptedException {
    List<Path> path =
        host.path() == null
            ? List.of()
            : Stream.of(host.path().split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    ClientTools tools = new ClientTools(postgres.binDir(), host.pgInstallRoot(), path, runner);
    String tool = format.plain() ? "psql" : "pg_restore";
    return new Candidates(tools, tool, tools.candidates(tool));
  }

  /** The installed versions of one tool, as {@link #candidates} found them. */
  public record Candidates(ClientTools tools, String tool, List<ClientTools.Clients> found) {}

  /** The candidate for a server of {@code serverMajor} (see {@link ClientTools#forRestore}). */
  public static ClientTools.Clients choose(Candidates candidates, int serverMajor) {
    ClientTools.Clients clients =
        candidates
            .tools()
            .forRestore(
                new ServerProbe.ServerVersion(serverMajor, Integer.toString(serverMajor)),
                candidates.tool(),
                candidates.found());
    log.info(
        "restoring into a PostgreSQL {} server with {} of PostgreSQL {} in {}",
        serverMajor,
        candidates.tool(),
        clients.major(),
        clients.dir());
    return clients;
  }
}
