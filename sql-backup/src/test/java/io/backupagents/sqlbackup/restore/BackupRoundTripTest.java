package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup, drop, recover: both actions driven through the real launcher and agent, the data compared
 * before and after (row counts and content checksums, large objects, functions).
 */
class BackupRoundTripTest {

  private static final List<String> DATABASES = List.of("app", "shop", "postgres");

  private static PostgresServer server;

  @TempDir Path base;

  @BeforeAll
  static void start() {
    server = PostgresServer.start();
    RestoreFixture.loadSampleData(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aDumpallBackupRecoversTheDroppedServerWithIdenticalData() throws Exception {
    Map<String, Map<String, String>> before = fingerprints();
    Map<String, String> env = RestoreFixture.env(server, base);
    Files.createDirectories(base.resolve("backup"));

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    Path file = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-dumpall.sql.gz");
    assertThat(file).isRegularFile();
    assertThat(file.resolveSibling("." + file.getFileName() + ".sha256")).isRegularFile();

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    assertThat(verify.status()).as(verify.termination()).isZero();

    server.execute("postgres", "DROP DATABASE app WITH (FORCE)");
    server.execute("postgres", "DROP DATABASE shop WITH (FORCE)");
    server.execute("postgres", "DROP TABLE public.settings");
    server.execute("postgres", "DROP ROLE appuser");

    RestoreFixture.Run recover = RestoreFixture.run(env, base, "recover");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(fingerprints()).isEqualTo(before);
    assertThat(
            server.queryString(
                "postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'appuser'"))
        .isEqualTo("1");
  }

  @Test
  void verifyAfterBackupProvesTheNewBackupRestoresBeforeTheRunSucceeds() throws Exception {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "shop");
    env.put("VERIFY_AFTER_BACKUP", "yes");
    Files.createDirectories(base.resolve("backup"));

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");

    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(backup.metrics())
        .contains("sql_backup_last_verified_timestamp_seconds")
        .contains("sql_backup_last_success_timestamp_seconds");
    assertThat(server.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .as("the scratch database is dropped again")
        .containsExactlyInAnyOrder("postgres", "template0", "template1", "app", "shop");
  }

  @Test
  void aBackupThatCannotBeVerifiedFailsTheRunAndIsNotPruningOlderOnes() throws Exception {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "shop");
    env.put("BACKUP_COUNT", "1");
    env.put("VERIFY_AFTER_BACKUP", "yes");
    env.put("VERIFY_PGHOST", "127.0.0.1");
    env.put("VERIFY_PGPORT", Integer.toString(io.backupagents.testing.FreePort.pick()));
    Path hourly = Files.createDirectories(base.resolve("backup/hourly"));
    Path older = hourly.resolve("backup-2025-09-10T11:00:00Z-shop.sql.gz");
    Files.write(older, new byte[] {1});

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");

    assertThat(backup.status()).isEqualTo(3);
    assertThat(backup.termination()).startsWith("FAILURE (3: ");
    assertThat(backup.metrics()).doesNotContain("sql_backup_last_success_timestamp_seconds");
    assertThat(older).as("rotation did not run").isRegularFile();
  }

  @Test
  void aSingleDatabaseBackupRecoversTheDroppedDatabaseWithIdenticalData() throws Exception {
    Map<String, String> before = RestoreFixture.fingerprint(server, "shop");
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "shop");
    Files.createDirectories(base.resolve("backup"));

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-shop.sql.gz"))
        .isRegularFile();

    server.execute("postgres", "DROP DATABASE shop WITH (FORCE)");
    env.put("RESTORE_CREATE_DATABASE", "yes");
    RestoreFixture.Run recover = RestoreFixture.run(env, base, "recover");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "shop")).isEqualTo(before);
  }

  private static Map<String, Map<String, String>> fingerprints() {
    Map<String, Map<String, String>> all = new TreeMap<>();
    for (String db : DATABASES) {
      all.put(db, RestoreFixture.fingerprint(server, db));
    }
    return all;
  }
}
