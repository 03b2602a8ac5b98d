package io.backupagents.sqlbackup;

import io.backupagents.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * sql-backup uses no project module but common, its packages point one way (root, then the actions
 * backup, list, restore and verify, then what they run, down to model and sql), and only
 * SqlBackupMain touches the process.
 */
class ArchitectureTest {

  @Test
  void sqlBackupKeepsTheArchitectureRules() {
    ArchitectureRules.check("io.backupagents.sqlbackup", "io.backupagents.common");
  }
}
