package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.SqlFeed;
import io.backupagents.sqlbackup.script.ClusterRestoreFilter;
import io.backupagents.sqlbackup.script.DumpallSurvey;
import io.backupagents.sqlbackup.script.SqlLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses what a restore of some databases of a pg_dumpall takes: the databases asked for (each
 * must be in the dump) and the roles their sections name that the target lacks.
 */
final class DumpallSelection {

  private static final Logger log = LoggerFactory.getLogger(DumpallSelection.class);

  private DumpallSelection() {}

  /**
   * Reads the checked dump once and returns the selection.
   *
   * @param existingRoles roles the target has, and those the restore runs as: never created
   */
  static ClusterRestoreFilter.Selection choose(
      BackupIntegrity.Checked checked, List<String> databases, Set<String> existingRoles)
      throws IOException {
    DumpallSurvey survey = new DumpallSurvey(Set.copyOf(databases));
    try (InputStream sql = SqlFeed.open(checked.fetched().file())) {
      survey.copy(new SqlLineReader(sql), OutputStream.nullOutputStream());
    }
    List<String> missing = new ArrayList<>(databases);
    missing.removeAll(survey.databases());
    if (!missing.isEmpty()) {
      throw new AgentException(
          ExitCode.BAD_SETTINGS,
          "RESTORE_DATABASES names "
              + String.join(", ", missing)
              + ", which "
              + checked.name()
              + " does not hold; it holds "
              + String.join(", ", survey.databases()));
    }
    Set<String> needed = survey.neededRoles();
    Set<String> created = new TreeSet<>(needed);
    created.removeAll(existingRoles);
    Set<String> kept = new TreeSet<>(needed);
    kept.retainAll(existingRoles);
    log.info(
        "restoring only {} of the {} databases in {}; roles they name: {} created{}",
        databases,
        survey.databases().size(),
        checked.name(),
        created.isEmpty() ? "none" : created,
        kept.isEmpty() ? "" : ", " + kept + " kept as the target has them");
    return new ClusterRestoreFilter.Selection(Set.copyOf(databases), needed, created);
  }
}
