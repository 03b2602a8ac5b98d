package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverActionTest {

  private static final String DUMPALL = "backup-2025-09-10T10:51:08Z-dumpall.sql.gz";
  private static final String APP = "backup-2025-09-10T10:51:08Z-app.sql.gz";

  private static PostgresServer source;
  private static Path backups;
  private static Map<String, Map<String, String>> expected;

  @TempDir Path base;

  @BeforeAll
  static void makeLegacyBackups(@TempDir Path dir) {
    source = PostgresServer.start();
    RestoreFixture.loadSampleData(source);
    backups = dir;
    RestoreFixture.legacyDumpall(source, dir.resolve(DUMPALL));
    RestoreFixture.legacyDump(source, "app", dir.resolve(APP));
    expected =
        Map.of(
            "app", RestoreFixture.fingerprint(source, "app"),
            "shop", RestoreFixture.fingerprint(source, "shop"),
            "postgres", RestoreFixture.fingerprint(source, "postgres"));
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void legacyDumpallInAnHourlyTierRecoversIntoAFreshServerWithIdenticalData() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    try (PostgresServer target = PostgresServer.start()) {
      Map<String, String> env = RestoreFixture.env(target, base);
      env.put("DATABASE_EXPECTED_COUNT", "5");

      RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(run.termination()).isEqualTo("SUCCESS");
      for (String db : List.of("app", "shop", "postgres")) {
        assertThat(RestoreFixture.fingerprint(target, db)).as(db).isEqualTo(expected.get(db));
      }
      assertThat(target.queryColumn("postgres", "SELECT rolname FROM pg_roles ORDER BY 1"))
          .contains("appuser", "postgres");
      assertThat(
              target.queryString(
                  "postgres",
                  "SELECT datistemplate FROM pg_database" + " WHERE datname = 'template1'"))
          .isEqualTo("t");
      assertThat(run.metrics()).contains("sql_backup_restore_success 1.0");
    }
  }

  private void copy(String name, Path tier) throws Exception {
    Files.createDirectories(tier);
    Files.copy(backups.resolve(name), tier.resolve(name));
  }
}
