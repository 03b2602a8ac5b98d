package io.backupagents.replicator;

import io.backupagents.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The replicator uses no project code but common's, its packages point one way (root -> job ->
 * execute -> scan/plan -> manifest -> model), and only VolumeReplicatorMain touches the process.
 */
class ArchitectureTest {

  @Test
  void theReplicatorKeepsTheArchitectureRules() {
    ArchitectureRules.check("io.backupagents.replicator", "io.backupagents.common");
  }
}
