package io.backupagents.sqlbackup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own sessions against what a role or a database sets on the server. */
class ServerProbeSessionTest {

  @Test
  void anIdleSessionTimeoutOfTheRoleDoesNotEndTheAgentsSessions(@TempDir Path dir)
      throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      // verify holds a session idle while its restore runs (the lock on its scratch database).
      server.execute("postgres", "ALTER ROLE postgres SET idle_session_timeout = '300ms'");
      try (PgCredentials credentials = RestoreFixture.credentials(server, dir);
          Connection c = ServerProbe.connect(credentials, "postgres")) {
        Thread.sleep(1_500);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT current_setting('idle_session_timeout')")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("0");
        }
      }
    }
  }
}
