package io.backupagents.sqlbackup.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortableSettingsTest {

  @TempDir Path base;

  @Test
  void onlySettingsOlderServersLackAreRewrittenToAStatementEveryServerRuns() {
    assertThat(PortableSettings.rewrite("SET transaction_timeout = 0;"))
        .contains(
            "SELECT pg_catalog.set_config(name, '0', false) FROM pg_catalog.pg_settings"
                + " WHERE name = 'transaction_timeout';\n");
    assertThat(PortableSettings.rewrite("SET statement_timeout = 0;")).isEmpty();
    assertThat(PortableSettings.rewrite("SET transaction_timeout = 0; DROP TABLE x;")).isEmpty();
  }

  @Test
  void aDumpByANewerPgDumpRestoresIntoTheOlderServerItCameFrom() throws Exception {
    PostgresServer server = SharedServers.source();
    assertThat(server.majorVersion()).isLessThan(17);
    Path file = base.resolve("backup/hourly/backup-2025-09-10T11:00:00Z-portable.sql.gz");
    Files.createDirectories(file.getParent());
    // What pg_dump 17 and later write at the head of every plain dump.
    Commands.run(
        List.of(
            "bash",
            "-c",
            "set -eo pipefail; "
                + server.binDir().resolve("pg_dump")
                + " --clean --if-exists shop | sed '/^SET idle_in_transaction_session_timeout/a"
                + " SET transaction_timeout = 0;' | gzip > '"
                + file
                + "'"),
        server.libpqEnvironment());
    assertThat(Commands.run(List.of("bash", "-c", "zcat '" + file + "' | head -20")))
        .contains("\nSET transaction_timeout = 0;\n");
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "portable");
    env.put("RESTORE_CREATE_DATABASE", "yes");

    try {
      RestoreFixture.Run recover = RestoreFixture.run(env, base, "recover");

      assertThat(recover.status()).as(recover.termination()).isZero();
      assertThat(server.fingerprint("portable")).isEqualTo(server.fingerprint("shop"));
    } finally {
      server.execute("postgres", "DROP DATABASE IF EXISTS portable WITH (FORCE)");
    }
  }
}
