package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.DumpComparison;
import io.backupagents.sqlbackup.testing.LegacyRestore;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.Roles;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.RegressionDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's regression database (with pg_upgrade's databases named with most ASCII bytes)
 * through backup, verify and recover, compared as pg_upgrade's test compares: by pg_dumpall/pg_dump
 * output. Each restore is checked against a legacy restore of the same backup on a third server:
 * the agent's result may differ from the source only where the legacy restore's differs as well.
 */
class RegressionRoundTripTest {

  /**
   * Differences every restore of these backups shows, legacy ones included, named here with their
   * reason. Empty: role passwords are left out of the comparison dumps (a restore keeps the
   * target's superuser password by design), and nothing else is known to differ.
   */
  private static final Predicate<String> KNOWN = line -> false;

  private static PostgresServer source;
  private static List<String> sourceDumpall;
  private static List<String> sourceRegression;

  @TempDir Path base;

  @BeforeAll
  static void loadRegressionDatabase() {
    source = PostgresServer.start();
    RegressionDatabase.load(source);
    sourceDumpall = DumpComparison.dumpall(source);
    sourceRegression = DumpComparison.dump(source, RegressionDatabase.NAME);
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void aDumpallOfTheRegressionServerVerifies() throws Exception {
    assertVerifies(backup(Map.of()));
  }

  @Test
  void aDumpallOfTheRegressionServerRecoversAsALegacyRestoreDoes() throws Exception {
    backup(Map.of());
    Path file = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-dumpall.sql.gz");

    try (PostgresServer restored = PostgresServer.start();
        PostgresServer legacy = PostgresServer.start()) {
      RestoreFixture.Run recover =
          RestoreFixture.run(RestoreFixture.env(restored, base), base, "recover");
      assertThat(recover.status()).as(recover.termination()).isZero();
      LegacyRestore.dumpall(file, legacy, source.password());

      DumpComparison.assertNoDifferenceBeyondLegacy(
          "pg_dumpall after recover",
          sourceDumpall,
          DumpComparison.dumpall(restored),
          DumpComparison.dumpall(legacy),
          KNOWN);
    }
  }

  @Test
  void aPlainSingleDatabaseBackupVerifies() throws Exception {
    assertVerifies(backup(Map.of("DATABASE", RegressionDatabase.NAME)));
  }

  @Test
  void aPlainSingleDatabaseBackupRecoversAsALegacyRestoreDoes() throws Exception {
    backup(Map.of("DATABASE", RegressionDatabase.NAME));
    Path file = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-regression.sql.gz");

    assertRecoversAsLegacyRestoreDoes(
        target -> LegacyRestore.database(file, target, RegressionDatabase.NAME));
  }

  @Test
  void aCustomFormatBackupVerifies() throws Exception {
    assertVerifies(backup(Map.of("DATABASE", RegressionDatabase.NAME, "DUMP_FORMAT", "custom")));
  }

  @Test
  void aCustomFormatBackupRecoversAsPgRestoreDoes() throws Exception {
    backup(Map.of("DATABASE", RegressionDatabase.NAME, "DUMP_FORMAT", "custom"));
    Path file = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-regression.dump");

    assertRecoversAsLegacyRestoreDoes(
        target -> {
          target.createDatabase(RegressionDatabase.NAME);
          // pg_restore without --exit-on-error reports failed statements and goes on (status 1).
          Commands.Outcome restored =
              Commands.runForStatus(
                  List.of(
                      target.binDir().resolve("pg_restore").toString(),
                      "-d",
                      RegressionDatabase.NAME,
                      file.toString()),
                  target.libpqEnvironment());
          assertThat(restored.status()).as(restored.output()).isIn(0, 1);
        });
  }

  private void assertVerifies(Map<String, String> env) {
    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    assertThat(verify.status()).as(verify.termination()).isZero();
  }

  private void assertRecoversAsLegacyRestoreDoes(Consumer<PostgresServer> legacyRestore) {
    try (PostgresServer restored = PostgresServer.start();
        PostgresServer legacy = PostgresServer.start()) {
      // As on a staging server, the application's roles exist where one database is restored.
      Roles.copy(source, restored);
      Roles.copy(source, legacy);
      Map<String, String> recoverEnv = RestoreFixture.env(restored, base);
      recoverEnv.put("DATABASE", RegressionDatabase.NAME);
      recoverEnv.put("RESTORE_CREATE_DATABASE", "yes");
      RestoreFixture.Run recover = RestoreFixture.run(recoverEnv, base, "recover");
      assertThat(recover.status()).as(recover.termination()).isZero();
      legacyRestore.accept(legacy);

      DumpComparison.assertNoDifferenceBeyondLegacy(
          "pg_dump of " + RegressionDatabase.NAME + " after recover",
          sourceRegression,
          DumpComparison.dump(restored, RegressionDatabase.NAME),
          DumpComparison.dump(legacy, RegressionDatabase.NAME),
          KNOWN);
    }
  }

  private Map<String, String> backup(Map<String, String> settings) throws Exception {
    Map<String, String> env = RestoreFixture.env(source, base);
    env.putAll(settings);
    Files.createDirectories(base.resolve("backup"));
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    return env;
  }
}
