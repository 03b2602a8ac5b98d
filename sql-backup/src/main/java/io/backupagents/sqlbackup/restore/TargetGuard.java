package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.load.TargetServer;
import io.backupagents.sqlbackup.settings.RestoreSettings;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to restore over user tables unless RESTORE_FORCE says so: for a dumpall, any database of
 * the server; for a single-database backup, the target database, which must exist unless it may be
 * created.
 */
final class TargetGuard {

  private static final Logger log = LoggerFactory.getLogger(TargetGuard.class);

  private TargetGuard() {}

  /** Returns true when the target database must be created before the restore. */
  static boolean check(TargetServer target, RestoreSettings settings) {
    if (settings.database().isEmpty() && !settings.databases().isEmpty()) {
      List<String> present =
          target.databases().stream().filter(settings.databases()::contains).toList();
      Map<String, Integer> occupied = target.userTablesByDatabase(present);
      refuseOrWarn(
          occupied,
          settings.force(),
          "the server at "
              + target.where()
              + " already holds user tables in databases to restore ("
              + describe(occupied)
              + "); the restore replaces them");
      return false;
    }
    if (settings.database().isEmpty()) {
      Map<String, Integer> occupied = target.userTablesByDatabase(target.databases());
      refuseOrWarn(
          occupied,
          settings.force(),
          "the server at "
              + target.where()
              + " already holds user tables ("
              + describe(occupied)
              + "); restoring a dumpall replaces the databases it holds");
      return false;
    }
    String database = settings.database().get();
    if (!target.exists(database)) {
      if (!settings.createDatabase()) {
        throw new AgentException(
            ExitCode.NOT_FOUND,
            "database "
                + database
                + " does not exist on "
                + target.where()
                + ": create it, or set RESTORE_CREATE_DATABASE=yes");
      }
      return true;
    }
    Map<String, Integer> occupied = target.userTablesByDatabase(List.of(database));
    refuseOrWarn(
        occupied,
        settings.force(),
        "database "
            + database
            + " on "
            + target.where()
            + " already holds "
            + occupied.getOrDefault(database, 0)
            + " user tables; the backup's objects would replace theirs");
    return false;
  }

  private static void refuseOrWarn(Map<String, Integer> occupied, boolean force, String what) {
    if (occupied.isEmpty()) {
      return;
    }
    if (!force) {
      throw new AgentException(
          ExitCode.GUARD_REFUSED, what + ": set RESTORE_FORCE=yes (or --force) to restore anyway");
    }
    log.warn("{}: going ahead, as RESTORE_FORCE asks", what);
  }

  private static String describe(Map<String, Integer> occupied) {
    return occupied.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
