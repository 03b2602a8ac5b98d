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

  /**
   * The databases whose user tables the guard weighs, of those on the server that accept
   * connections: for a dumpall all of them, for chosen databases of one those present, for a single
   * database that one if present.
   */
  static List<String> counted(RestoreSettings settings, List<String> connectable) {
    if (settings.database().isPresent()) {
      return connectable.contains(settings.database().get())
          ? List.of(settings.database().get())
          : List.of();
    }
    if (!settings.databases().isEmpty()) {
      return connectable.stream().filter(settings.databases()::contains).toList();
    }
    return connectable;
  }

  /**
   * Returns true when the target database must be created before the restore; refuses (or, with
   * RESTORE_FORCE, warns) when what the restore writes to holds user tables.
   */
  static boolean check(TargetServer.Survey survey, RestoreSettings settings) {
    Map<String, Integer> occupied = survey.dataObjects();
    String where = survey.server().where();
    if (settings.database().isEmpty() && !settings.databases().isEmpty()) {
      refuseOrWarn(
          occupied,
          settings.force(),
          "the server at "
              + where
              + " already holds "
              + DATA
              + " in databases to restore ("
              + describe(occupied)
              + "); the restore replaces them");
      return false;
    }
    if (settings.database().isEmpty()) {
      refuseOrWarn(
          occupied,
          settings.force(),
          "the server at "
              + where
              + " already holds "
              + DATA
              + " ("
              + describe(occupied)
              + "); restoring a dumpall replaces the databases it holds");
      return false;
    }
    String database = settings.database().get();
    if (!survey.exists(database)) {
      if (!settings.createDatabase()) {
        throw new AgentException(
            ExitCode.NOT_FOUND,
            "database "
                + database
                + " does not exist on "
                + where
                + ": create it, or set RESTORE_CREATE_DATABASE=yes");
      }
      return true;
    }
    refuseOrWarn(
        occupied,
        settings.force(),
        "database "
            + database
            + " on "
            + where
            + " already holds "
            + DATA
            + " ("
            + occupied.getOrDefault(database, 0)
            + "); the backup's objects would replace theirs");
    return false;
  }

  /** What the guard counts (see {@link TargetServer.Survey#dataObjects}). */
  private static final String DATA = "tables, materialized views or large objects";

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
