package io.backupagents.sqlbackup.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostEnvironmentTest {

  @Test
  void readsPathHomeTempDirAndHostnameFromTheEnvironment() {
    HostEnvironment host =
        HostEnvironment.of(
            Map.of(
                "PATH", "/opt/pg/bin:/usr/bin",
                "HOME", "/home/agent",
                "TMPDIR", "/scratch",
                "HOSTNAME", "sql-backup-28893210-x7k2p"),
            Clock.systemUTC());

    assertThat(host.path()).isEqualTo("/opt/pg/bin:/usr/bin");
    assertThat(host.home()).isEqualTo(Path.of("/home/agent"));
    assertThat(host.tempDir()).isEqualTo(Path.of("/scratch"));
    assertThat(host.hostname()).isEqualTo("sql-backup-28893210-x7k2p");
  }

  @Test
  void withoutHostnameFallsBackToTheMachinesName() {
    HostEnvironment host = HostEnvironment.of(Map.of(), Clock.systemUTC());

    assertThat(host.hostname()).isNotBlank();
    assertThat(host.path()).isEqualTo("/usr/local/bin:/usr/bin:/bin");
  }
}
