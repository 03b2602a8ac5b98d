package io.backupagents.common;

import io.backupagents.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** common uses no other module, its packages point one way, and only *Main touches the process. */
class ArchitectureTest {

  @Test
  void commonKeepsTheArchitectureRules() {
    ArchitectureRules.check("io.backupagents.common");
  }
}
