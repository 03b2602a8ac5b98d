package io.backupagents.sqlbackup.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's session on the scratch server: its lock, and the scratch database it makes. */
class TargetServerSessionTest {

  private static final String SCRATCH = "scratch \"db\" ü";

  @Test
  void theSessionHoldsItsLockAndMakesAScratchDatabaseThatDoesNotWaitForTheDisk(@TempDir Path dir)
      throws Exception {
    try (PostgresServer server = PostgresServer.start();
        PgCredentials credentials = RestoreFixture.credentials(server, dir)) {
      // The test servers commit without waiting for the disk; this one waits, as a real one does.
      server.execute("postgres", "ALTER SYSTEM SET synchronous_commit = on");
      server.execute("postgres", "SELECT pg_catalog.pg_reload_conf()");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!server.queryString("postgres", "SHOW synchronous_commit").equals("on")) {
        assertThat(System.nanoTime()).as("the reload took effect").isLessThan(deadline);
        Thread.sleep(50);
      }
      try (TargetServer.Session first = TargetServer.session(credentials)) {
        try (TargetServer.Session second = TargetServer.session(credentials)) {
          assertThat(first.tryLock("scratch lock")).isTrue();
          assertThat(second.tryLock("scratch lock")).isFalse();
          assertThat(second.tryLock("another lock")).isTrue();

          first.createScratch(SCRATCH, Optional.empty(), "made by the test");

          assertThat(second.exists(SCRATCH)).isTrue();
          assertThat(second.comment(SCRATCH)).isEqualTo("made by the test");
          assertThat(
                  server.queryString(
                      SCRATCH, "SELECT pg_catalog.current_setting('synchronous_commit')"))
              .isEqualTo("off");
          assertThat(server.queryString("postgres", "SHOW synchronous_commit")).isEqualTo("on");
          first.drop(SCRATCH);
          assertThat(second.exists(SCRATCH)).isFalse();
        }
      }
      // Both sessions ended, and their locks with them.
      try (TargetServer.Session third = TargetServer.session(credentials)) {
        assertThat(third.tryLock("scratch lock")).isTrue();
        assertThat(third.server().version().major()).isGreaterThanOrEqualTo(13);
      }
    }
  }
}
