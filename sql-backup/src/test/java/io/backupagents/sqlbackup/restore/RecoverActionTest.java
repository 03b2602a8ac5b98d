package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.s3.S3Store;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recover action against real PostgreSQL servers, with backups made the legacy way. */
class RecoverActionTest {

  private static final String DUMPALL = "backup-2025-09-10T10:51:08Z-dumpall.sql.gz";
  private static final String APP = "backup-2025-09-10T10:51:08Z-app.sql.gz";

  private static PostgresServer source;
  private static PostgresServer target;
  private static Path backups;
  private static Map<String, Map<String, String>> expected;

  @TempDir Path base;

  @BeforeAll
  static void makeLegacyBackups(@TempDir Path dir) {
    source = PostgresServer.start();
    target = PostgresServer.start();
    RestoreFixture.loadSampleData(source);
    backups = dir;
    RestoreFixture.legacyDumpall(source, dir.resolve(DUMPALL));
    RestoreFixture.legacyDump(source, "app", dir.resolve(APP));
    expected =
        Map.of(
            "app", RestoreFixture.fingerprint(source, "app"),
            "shop", RestoreFixture.fingerprint(source, "shop"),
            "postgres", RestoreFixture.fingerprint(source, "postgres"));
    // The application's role exists where single databases are restored, as on a staging server.
    target.execute("postgres", "CREATE ROLE appuser LOGIN");
  }

  @AfterAll
  static void stop() {
    source.close();
    target.close();
  }

  @Test
  void legacyDumpallInAnHourlyTierRecoversIntoAFreshServerWithIdenticalData() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    try (PostgresServer fresh = PostgresServer.start()) {
      Map<String, String> env = RestoreFixture.env(fresh, base);
      env.put("DATABASE_EXPECTED_COUNT", "5");

      RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(run.termination()).isEqualTo("SUCCESS");
      for (String db : List.of("app", "shop", "postgres")) {
        assertThat(RestoreFixture.fingerprint(fresh, db)).as(db).isEqualTo(expected.get(db));
      }
      assertThat(fresh.queryColumn("postgres", "SELECT rolname FROM pg_roles ORDER BY 1"))
          .contains("appuser", "postgres");
      assertThat(
              fresh.queryString(
                  "postgres", "SELECT datistemplate FROM pg_database WHERE datname = 'template1'"))
          .isEqualTo("t");
      assertThat(run.metrics())
          .contains("sql_backup_restore_success 1.0", "sql_backup_restore_sql_errors 0.0")
          .contains("sql_backup_restore_databases 5.0");
    }
  }

  @Test
  void aSingleDatabaseBackupRecoversIntoADatabaseItCreates() throws Exception {
    copy(APP, base.resolve("recovery/hourly"));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "app_copy");
    env.put("RESTORE_CREATE_DATABASE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover", "--from", "LATEST");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "app_copy")).isEqualTo(expected.get("app"));
    assertThat(
            target.queryString(
                "app_copy", "SELECT tableowner FROM pg_tables WHERE tablename = 'invoices'"))
        .isEqualTo("appuser");
  }

  @Test
  void aDatabaseThatDoesNotExistIsOnlyCreatedWhenAskedTo() throws Exception {
    copy(APP, base.resolve("backup/hourly"));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "not_there");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).isEqualTo(5);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (5: database not_there does not exist on 127.0.0.1:"
                + target.port()
                + ": create it, or set RESTORE_CREATE_DATABASE=yes)");
  }

  @Test
  void fromBackupSelectsTheBackupWithThatTimestamp() throws Exception {
    source.createDatabase("history");
    source.execute("history", "CREATE TABLE events (id int); INSERT INTO events VALUES (1)");
    Path tier = base.resolve("backup/daily");
    RestoreFixture.legacyDump(source, "history", tier.resolve(name("09:00:00", "history")));
    source.execute("history", "INSERT INTO events VALUES (2), (3)");
    RestoreFixture.legacyDump(source, "history", tier.resolve(name("10:00:00", "history")));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "history_at_nine");
    env.put("RESTORE_CREATE_DATABASE", "yes");
    env.put("FROM_BACKUP", "2025-09-10T09:00:00Z");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(target.queryString("history_at_nine", "SELECT count(*) FROM events")).isEqualTo("1");
  }

  @Test
  void aNewestBackupOlderThanTheLimitFailsBeforeTouchingTheServer() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("LATEST_BACKUP_MAXIMUM_AGE_H", "1");
    env.put("PGPORT", "1"); // nothing listens there: the age check comes first

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).isEqualTo(5);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (5: the newest backup, "
                + DUMPALL
                + ", is 1h08m old: more than LATEST_BACKUP_MAXIMUM_AGE_H=1)");
  }

  @Test
  void aDatabaseCountOtherThanExpectedFailsTheRun() throws Exception {
    copy(APP, base.resolve("backup/hourly"));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "app_counted");
    env.put("RESTORE_CREATE_DATABASE", "yes");
    env.put("DATABASE_EXPECTED_COUNT", "99");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    int databases =
        Integer.parseInt(target.queryString("postgres", "SELECT count(*) FROM pg_database"));
    assertThat(run.status()).isEqualTo(12);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (12: after the restore the server has "
                + databases
                + " databases, but DATABASE_EXPECTED_COUNT=99)");
  }

  @Test
  void aTruncatedBackupFailsVerificationAndTheTargetIsUnchanged() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));

    assertFailsVerificationWithoutTouching("victim_truncated", "is not a complete gzip file");
  }

  @Test
  void aFlippedByteFailsVerificationAndTheTargetIsUnchanged() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);

    assertFailsVerificationWithoutTouching("victim_flipped", "is not a complete gzip file");
  }

  @Test
  void aBackupThatDisagreesWithItsChecksumRecordFailsAndTheTargetIsUnchanged() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(file);
    Files.writeString(
        file.resolveSibling("." + APP + ".sha256"), sha256(bytes) + "  " + APP + "\n");
    bytes[4] ^= 0x01; // the gzip header's time stamp: gzip itself would not notice
    Files.write(file, bytes);

    assertFailsVerificationWithoutTouching("victim_checksum", "its checksum record says");
  }

  @Test
  void aRecordUnderTheNameEarlierVersionsGaveItIsCheckedToo() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(file);
    Files.writeString(file.resolveSibling(APP + ".sha256"), sha256(bytes) + "  " + APP + "\n");
    bytes[4] ^= 0x01;
    Files.write(file, bytes);

    assertFailsVerificationWithoutTouching("victim_legacy_record", "its checksum record says");
  }

  @Test
  void aDumpCutShortInsideAWholeGzipFailsVerification() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    String sql;
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    gzip(file, sql.substring(0, sql.indexOf("COPY billing.invoices")));

    assertFailsVerificationWithoutTouching("victim_cut", "that was cut short");
  }

  @Test
  void aCutShortDumpWhoseRecordMatchesFailsAsItStreamsAndKeepsNothing() throws Exception {
    // A record that matches a cut-short file (sql-backup never writes one) passes the check by
    // digest; the restore reads the last line as it streams and gives up before committing.
    Path file = copy(APP, base.resolve("backup/hourly"));
    String sql;
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    gzip(file, sql.substring(0, sql.indexOf("--\n-- PostgreSQL database dump complete")));
    Files.writeString(
        file.resolveSibling("." + APP + ".sha256"),
        sha256(Files.readAllBytes(file)) + "  " + APP + "\n");
    target.createDatabase("victim_streamed");
    target.execute("victim_streamed", "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)");
    Map<String, String> before = target.fingerprint("victim_streamed");
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "victim_streamed");
    env.put("RESTORE_FORCE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).as(run.termination()).isEqualTo(12);
    assertThat(run.termination()).contains("that was cut short");
    assertThat(target.fingerprint("victim_streamed")).isEqualTo(before);
  }

  @Test
  void aBackupFetchedFromS3WithTheLegacyVariablesRecovers() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
      Path file = backups.resolve(APP);
      try (S3Connection connection = S3Connection.open(s3Settings(s3))) {
        connection.sdk().createBucket(b -> b.bucket("backups")).join();
        S3Store store = new S3Store(connection, "backups");
        store.upload(file, "prod/db/hourly/" + APP, Instant.now());
        store.putBytes(
            "prod/db/hourly/." + APP + ".sha256",
            (sha256(Files.readAllBytes(file)) + "  " + APP + "\n").getBytes(StandardCharsets.UTF_8),
            "text/plain");
        store.upload(file, "prod/db/daily/backup-2025-09-01T10:51:08Z-app.sql.gz", Instant.now());
      }
      Files.createDirectories(base.resolve("recovery"));
      Map<String, String> env = RestoreFixture.env(target, base);
      env.put("DATABASE", "app_from_s3");
      env.put("RESTORE_CREATE_DATABASE", "yes");
      env.put("USE_RCLONE", "yes");
      env.put("USE_RCLONE_BUCKET_AND_PATH", "/backups/prod/db");
      env.put("RCLONE_S3_ENDPOINT", s3.endpoint().toString());
      env.put("RCLONE_S3_PROVIDER", "Other");
      env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
      env.put("AWS_DEFAULT_REGION", "us-east-1");

      RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(run.output()).contains(APP + " (").contains(", with its SHA-256 record)");
      assertThat(RestoreFixture.fingerprint(target, "app_from_s3")).isEqualTo(expected.get("app"));
      try (Stream<Path> left = Files.list(base.resolve("recovery"))) {
        assertThat(left).as("the download is removed, nothing else was fetched").isEmpty();
      }
      assertThat(run.metrics())
          .contains("sql_backup_restore_phase_duration_seconds{phase=\"fetch\"}");
    }
  }

  @Test
  void aCorruptLocalCopyIsPassedOverForTheSameBackupInS3() throws Exception {
    Path local = copy(APP, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(local);
    Files.write(local, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
      try (S3Connection connection = S3Connection.open(s3Settings(s3))) {
        connection.sdk().createBucket(b -> b.bucket("offsite")).join();
        new S3Store(connection, "offsite")
            .upload(backups.resolve(APP), "hourly/" + APP, Instant.now());
      }
      Map<String, String> env = RestoreFixture.env(target, base);
      env.putAll(s3.agentEnvironment());
      env.put("BACKUP_S3_URL", "s3://offsite");
      env.put("DATABASE", "app_second_copy");
      env.put("RESTORE_CREATE_DATABASE", "yes");

      RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(RestoreFixture.fingerprint(target, "app_second_copy"))
          .isEqualTo(expected.get("app"));
    }
  }

  @Test
  void aDatabaseWithUserTablesIsOnlyRestoredIntoWhenForced() throws Exception {
    copy(APP, base.resolve("backup/hourly"));
    target.createDatabase("occupied");
    target.execute("occupied", "CREATE TABLE mine (id int); INSERT INTO mine VALUES (42)");
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "occupied");

    RestoreFixture.Run refused = RestoreFixture.run(env, base, "recover");

    assertThat(refused.status()).isEqualTo(10);
    assertThat(refused.termination())
        .isEqualTo(
            "FAILURE (10: database occupied on 127.0.0.1:"
                + target.port()
                + " already holds tables, materialized views or large objects (1); the backup's"
                + " objects would replace theirs: set"
                + " RESTORE_FORCE=yes (or --force) to restore anyway)");
    assertThat(target.fingerprint("occupied")).containsOnlyKeys("public.mine");

    RestoreFixture.Run forced = RestoreFixture.run(env, base, "recover", "--force");

    assertThat(forced.status()).as(forced.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "occupied"))
        .containsAllEntriesOf(expected.get("app"))
        .containsKey("public.mine");
  }

  @Test
  void theGuardWeighsLargeObjectsAndMaterializedViewsAndCannotBeFooledByTheSearchPath()
      throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    try (PostgresServer occupied = PostgresServer.start()) {
      occupied.createDatabase("documents");
      occupied.execute(
          "documents",
          "SELECT lo_from_bytea(0, 'the only copy'); CREATE MATERIALIZED VIEW m AS SELECT 1 AS one");
      occupied.createDatabase("shadowed");
      occupied.execute(
          "shadowed",
          "CREATE TABLE important (id int); CREATE SCHEMA s; CREATE TABLE s.pg_class"
              + " (oid oid, relname name, relnamespace oid, relkind \"char\")");
      occupied.execute(
          "postgres", "ALTER DATABASE shadowed SET search_path = s, pg_catalog, public");

      RestoreFixture.Run run =
          RestoreFixture.run(RestoreFixture.env(occupied, base), base, "recover");

      assertThat(run.status()).as(run.termination()).isEqualTo(10);
      assertThat(run.termination()).contains("documents: 2", "shadowed: 2");
      assertThat(occupied.queryString("documents", "SELECT count(*) FROM pg_largeobject"))
          .isEqualTo("1");
    }
  }

  @Test
  void aDumpallBackupWarnsOfTheDatabasesPgDumpallLeavesOut() throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      server.createDatabase("archived");
      server.execute("postgres", "ALTER DATABASE archived ALLOW_CONNECTIONS false");
      Files.createDirectories(base.resolve("backup"));

      RestoreFixture.Run backup =
          RestoreFixture.run(RestoreFixture.env(server, base), base, "backup");

      assertThat(backup.status()).as(backup.termination()).isZero();
      assertThat(backup.output())
          .contains(
              "WARN  database(s) archived do not accept connections (ALLOW_CONNECTIONS false):"
                  + " pg_dumpall leaves them out of this backup");
    }
  }

  @Test
  void aForcedRecoverReplacesADatabaseTheTargetHasAsATemplate() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    try (PostgresServer occupied = PostgresServer.start()) {
      occupied.execute("postgres", "CREATE ROLE appuser LOGIN");
      occupied.createDatabase("app");
      occupied.execute("app", "CREATE TABLE old_copy (id int)");
      occupied.execute("postgres", "ALTER DATABASE app IS_TEMPLATE true");

      RestoreFixture.Run run =
          RestoreFixture.run(RestoreFixture.env(occupied, base), base, "recover", "--force");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(RestoreFixture.fingerprint(occupied, "app")).isEqualTo(expected.get("app"));
      assertThat(
              occupied.queryString(
                  "postgres", "SELECT datistemplate FROM pg_database WHERE datname = 'app'"))
          .isEqualTo("f");
    }
  }

  @Test
  void timeoutsAndReadOnlyDefaultsOfTheServerDoNotStopTheAgentsOwnStatements() throws Exception {
    copy(APP, base.resolve("backup/hourly"));
    try (PostgresServer strict = PostgresServer.start()) {
      strict.execute("postgres", "CREATE ROLE appuser LOGIN");
      strict.execute(
          "postgres",
          "ALTER DATABASE postgres SET default_transaction_read_only = on;"
              + " ALTER DATABASE template1 SET default_transaction_read_only = on");
      Map<String, String> env = RestoreFixture.env(strict, base);
      env.put("DATABASE", "app");
      env.put("RESTORE_CREATE_DATABASE", "yes");

      RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(RestoreFixture.fingerprint(strict, "app")).isEqualTo(expected.get("app"));
    }
  }

  @Test
  void aDumpallIsNotRestoredIntoAServerThatHoldsUserTables() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    target.createDatabase("busy");
    target.execute("busy", "CREATE TABLE t (id int)");

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(target, base), base, "recover");

    assertThat(run.status()).isEqualTo(10);
    assertThat(run.termination())
        .startsWith("FAILURE (10: the server at 127.0.0.1:" + target.port() + " already holds")
        .contains("busy: 1")
        .endsWith(
            "restoring a dumpall replaces the databases it holds: set RESTORE_FORCE=yes (or"
                + " --force) to restore anyway)");
  }

  @Test
  void listingShowsWhatIsAvailableAndRestoresNothing() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    copy(DUMPALL, base.resolve("backup/daily"));
    copy(APP, base.resolve("recovery/hourly"));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("PGPORT", "1"); // listing needs no server

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover", "--list");
    env.put("FROM_BACKUP", "NONE");
    RestoreFixture.Run legacy = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).isZero();
    assertThat(run.output())
        .contains("2 backups in " + base.resolve("recovery") + ", " + base.resolve("backup"))
        .containsPattern(
            "backup-2025-09-10T10:51:08Z-dumpall.sql.gz +[0-9.]+ KiB +1h08m +- +"
                + base.resolve("backup/daily")
                + ", "
                + base.resolve("backup/hourly"));
    assertThat(legacy.status()).isZero();
    assertThat(legacy.output()).contains("2 backups in ");
  }

  @Test
  void customAndDirectoryArchivesRestoreWithParallelPgRestore() throws Exception {
    Path tier = base.resolve("backup/hourly");
    Files.createDirectories(tier);
    String pgDump = source.binDir().resolve("pg_dump").toString();
    Commands.run(
        List.of(
            pgDump,
            "-Fc",
            "-f",
            tier.resolve(name("10:00:00", "app").replace(".sql.gz", ".dump")).toString(),
            "app"),
        source.libpqEnvironment());
    Path dir = base.resolve("dump-dir");
    Commands.run(
        List.of(pgDump, "-Fd", "-j", "2", "-f", dir.toString(), "app"), source.libpqEnvironment());
    Commands.run(
        List.of(
            "tar",
            "-cf",
            tier.resolve(name("11:00:00", "app").replace(".sql.gz", ".dir.tar")).toString(),
            "-C",
            dir.toString(),
            "."));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("RESTORE_CREATE_DATABASE", "yes");

    env.put("DATABASE", "app_custom");
    RestoreFixture.Run custom = RestoreFixture.run(env, base, "recover", "--from", "T10:00:00Z");
    env.put("DATABASE", "app_directory");
    RestoreFixture.Run directory = RestoreFixture.run(env, base, "recover");

    assertThat(custom.status()).as(custom.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "app_custom")).isEqualTo(expected.get("app"));
    assertThat(directory.status()).as(directory.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "app_directory")).isEqualTo(expected.get("app"));
  }

  @Test
  void anSqlErrorStopsTheRestoreAndKeepsNothingUnlessToldToGoOn() throws Exception {
    Path file = copy(APP, base.resolve("backup/hourly"));
    String sql;
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // After the large objects, which pg_dump wraps in a transaction of their own.
    int at = sql.indexOf("--\n-- PostgreSQL database dump complete");
    gzip(file, sql.substring(0, at) + "SELECT no_such_function();\n" + sql.substring(at));
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", "app_errors");
    env.put("RESTORE_CREATE_DATABASE", "yes");

    RestoreFixture.Run stopped = RestoreFixture.run(env, base, "recover");

    assertThat(stopped.status()).isEqualTo(6);
    assertThat(stopped.termination())
        .startsWith(
            "FAILURE (6: restore of " + APP + " stopped at the first SQL error: psql:<stdin>:")
        .contains("ERROR:  function no_such_function() does not exist")
        .endsWith("; the database this run created was dropped again)");
    assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain("app_errors");

    env.put("DO_NOT_STOP_ON_ERROR", "yes");
    RestoreFixture.Run goneOn = RestoreFixture.run(env, base, "recover");

    assertThat(goneOn.status()).as(goneOn.termination()).isZero();
    assertThat(goneOn.metrics()).contains("sql_backup_restore_sql_errors 1.0");
    assertThat(RestoreFixture.fingerprint(target, "app_errors")).isEqualTo(expected.get("app"));
  }

  private void assertFailsVerificationWithoutTouching(String database, String cause)
      throws Exception {
    target.createDatabase(database);
    target.execute(database, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2)");
    Map<String, String> before = target.fingerprint(database);
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", database);
    env.put("RESTORE_FORCE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).isEqualTo(12);
    assertThat(run.termination()).startsWith("FAILURE (12: " + APP).contains(cause);
    assertThat(target.fingerprint(database)).isEqualTo(before);
    assertThat(run.metrics()).contains("sql_backup_restore_success 0.0");
  }

  private static String name(String time, String label) {
    return "backup-2025-09-10T" + time + "Z-" + label + ".sql.gz";
  }

  private Path copy(String name, Path tier) throws Exception {
    Files.createDirectories(tier);
    return Files.copy(backups.resolve(name), tier.resolve(name));
  }

  private static void gzip(Path file, String sql) throws Exception {
    try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(sql.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static S3Settings s3Settings(S3ProxyServer s3) {
    SettingsReader r =
        new SettingsReader(s3.agentEnvironment(), List.of(S3Setting.values()), List.of());
    return S3Settings.read(r, "for the test");
  }
}
