package io.backupagents.sqlbackup.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify action and the BackupVerifier against real PostgreSQL servers. */
class VerifyActionTest {

  private static final String DUMPALL = "backup-2025-09-10T10:51:08Z-dumpall.sql.gz";
  private static final String DRIFT = "backup-2025-09-10T09:51:08Z-drift.sql.gz";
  private static final String VERIFIED = "sql_backup_last_verified_timestamp_seconds 1.7575056E9";

  private static PostgresServer source;
  private static Path backups;
  private static Map<String, String> appBefore;

  @TempDir Path base;

  @BeforeAll
  static void makeBackups(@TempDir Path dir) {
    source = PostgresServer.start();
    RestoreFixture.loadSampleData(source);
    // What names roles beyond ownership and grants, which a scratch server lacks, and a setting of
    // a role in a database, which verify must not write back to the source.
    source.execute(
        "app",
        "ALTER TABLE customers ENABLE ROW LEVEL SECURITY;"
            + " CREATE POLICY own ON customers TO appuser USING (true);"
            + " CREATE EXTENSION postgres_fdw; CREATE SERVER elsewhere FOREIGN DATA WRAPPER"
            + " postgres_fdw; CREATE USER MAPPING FOR appuser SERVER elsewhere"
            + " OPTIONS (user 'u', password 'p')");
    source.execute("postgres", "ALTER ROLE appuser IN DATABASE app SET work_mem = '3MB'");
    backups = dir;
    RestoreFixture.legacyDumpall(source, dir.resolve(DUMPALL));
    source.createDatabase("drift");
    source.execute(
        "drift", "CREATE TABLE t (id int); INSERT INTO t SELECT g FROM generate_series(1, 1000) g");
    RestoreFixture.legacyDump(source, "drift", dir.resolve(DRIFT));
    // The source moves on after the backup: within the tolerance for app, far beyond for drift.
    source.execute("app", "INSERT INTO customers (name) VALUES ('Neukunde')");
    source.execute("drift", "INSERT INTO t SELECT g FROM generate_series(1, 5000) g");
    appBefore = RestoreFixture.fingerprint(source, "app");
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void theNewestDumpallRestoresDatabaseByDatabaseIntoAScratchDatabaseOnTheSource()
      throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    List<String> rolesBefore = roles();
    source.execute("postgres", "ALTER ROLE appuser IN DATABASE app SET work_mem = '5MB'");

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(source, base), base, "verify");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(run.metrics())
        .contains(VERIFIED, "sql_backup_verify_success 1.0", "sql_backup_verify_tables 7.0");
    assertThat(source.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain("sql_backup_verify");
    assertThat(RestoreFixture.fingerprint(source, "app")).isEqualTo(appBefore);
    assertThat(roles()).isEqualTo(rolesBefore);
    assertThat(
            source.queryString(
                "postgres",
                "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_database"
                    + " d ON d.oid = s.setdatabase WHERE d.datname = 'app'"))
        .isEqualTo("work_mem=5MB");
  }

  @Test
  void aBackupThatDoesNotRestoreFailsAndPushesNoVerifiedTime() throws Exception {
    Path file = copy(DUMPALL, base.resolve("backup/hourly"));
    String sql;
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int at = sql.indexOf("CREATE TABLE public.documents");
    try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(
          (sql.substring(0, at) + "SELECT no_such_function();\n" + sql.substring(at))
              .getBytes(StandardCharsets.UTF_8));
    }

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(source, base), base, "verify");

    assertThat(run.status()).isEqualTo(12);
    assertThat(run.termination())
        .startsWith("FAILURE (12: " + DUMPALL + " does not restore: restore of " + DUMPALL)
        .contains("ERROR:  function no_such_function() does not exist");
    assertThat(run.metrics())
        .doesNotContain("last_verified")
        .contains("sql_backup_verify_success 0.0");
    assertThat(source.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain("sql_backup_verify");
  }

  @Test
  void aTruncatedBackupFailsVerification() throws Exception {
    Path file = copy(DUMPALL, base.resolve("backup/hourly"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(source, base), base, "verify");

    assertThat(run.status()).isEqualTo(12);
    assertThat(run.termination()).contains("is not a complete gzip file");
  }

  @Test
  void aBackupFarFromItsSourceFailsTheSanityCheck() throws Exception {
    copy(DRIFT, base.resolve("backup/hourly"));

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(source, base), base, "verify");

    assertThat(run.status()).isEqualTo(12);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (12: "
                + DRIFT
                + " restores, but not as expected: drift: table public.t has 1000 rows in the"
                + " backup, 6000 in the source)");
  }

  @Test
  void aScratchServerTakesTheRestoreAndTheSourceIsOnlyCompared() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    try (PostgresServer scratch = PostgresServer.start()) {
      Map<String, String> env = RestoreFixture.env(source, base);
      env.put("VERIFY_PGHOST", scratch.host());
      env.put("VERIFY_PGPORT", Integer.toString(scratch.port()));
      env.put("VERIFY_PGADMINPASS", scratch.password());
      env.put("VERIFY_DATABASE", "scratch");

      RestoreFixture.Run compared = RestoreFixture.run(env, base, "verify");
      env.put("PGPORT", "1"); // the source is not reachable: nothing to compare with
      RestoreFixture.Run alone = RestoreFixture.run(env, base, "verify");

      assertThat(compared.status()).as(compared.termination()).isZero();
      assertThat(alone.status()).as(alone.termination()).isZero();
      assertThat(alone.metrics()).contains(VERIFIED);
      // The dumpall holds several databases: the source that does not answer is asked once.
      assertThat(alone.output().split("the source server cannot be reached", -1)).hasSize(2);
      assertThat(alone.output()).doesNotContain("(source ");
      assertThat(compared.output()).contains("(source ");
      assertThat(scratch.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .containsExactlyInAnyOrder("postgres", "template0", "template1");
      assertThat(source.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .doesNotContain("scratch");
    }
  }

  @Test
  void aCustomArchiveWithAPolicyAndAUserMappingVerifiesOnAScratchServerWithoutTheirRole()
      throws Exception {
    customArchive("app");
    try (PostgresServer scratch = PostgresServer.start()) {
      Map<String, String> env = RestoreFixture.env(source, base);
      env.put("VERIFY_PGHOST", scratch.host());
      env.put("VERIFY_PGPORT", Integer.toString(scratch.port()));
      env.put("VERIFY_PGADMINPASS", scratch.password());

      RestoreFixture.Run run = RestoreFixture.run(env, base, "verify");

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(run.output())
          .contains(
              "1 user mappings left out of the scratch restore, 1 policies restored after it"
                  + " without their roles");
      assertThat(scratch.queryColumn("postgres", "SELECT rolname FROM pg_roles"))
          .doesNotContain("appuser");
    }
  }

  @Test
  void aCustomArchiveIsVerifiedThroughPgRestore() throws Exception {
    customArchive("shop");

    RestoreFixture.Run run = RestoreFixture.run(RestoreFixture.env(source, base), base, "verify");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(run.metrics()).contains(VERIFIED, "sql_backup_verify_tables 1.0");
  }

  @Test
  void aDatabaseVerifyDidNotMakeIsNeverDropped() throws Exception {
    copy(DRIFT, base.resolve("backup/hourly"));
    source.createDatabase("not_mine");
    source.execute("not_mine", "CREATE TABLE precious (id int)");
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("VERIFY_DATABASE", "not_mine");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "verify");

    assertThat(run.status()).isEqualTo(10);
    assertThat(run.termination())
        .isEqualTo(
            "FAILURE (10: database not_mine exists on 127.0.0.1:"
                + source.port()
                + " and verify did not make it: set VERIFY_DATABASE to a name not in use)");
    assertThat(source.fingerprint("not_mine")).containsOnlyKeys("public.precious");
  }

  @Test
  void aScratchDatabaseInUseByAnotherVerifyRunIsLeftAlone() throws Exception {
    copy(DUMPALL, base.resolve("backup/hourly"));
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("VERIFY_DATABASE", "busy_scratch");
    // Another run, half-way: its scratch database (with verify's mark), a session in it, its lock.
    source.execute(
        "postgres",
        "CREATE DATABASE busy_scratch; COMMENT ON DATABASE busy_scratch IS '"
            + ScratchRestore.SCRATCH_COMMENT
            + "'");
    source.execute("busy_scratch", "CREATE TABLE restored_so_far (id int)");
    try (Connection other = source.connect("postgres");
        Connection inScratch = source.connect("busy_scratch");
        PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
      lock.setString(1, ScratchRestore.LOCK_PREFIX + "busy_scratch");
      lock.execute();

      RestoreFixture.Run run = RestoreFixture.run(env, base, "verify");

      assertThat(run.status()).isEqualTo(10);
      assertThat(run.termination())
          .isEqualTo(
              "FAILURE (10: another verify run is using the scratch database busy_scratch on"
                  + " 127.0.0.1:"
                  + source.port()
                  + ": verify runs at the same time against one server need different"
                  + " VERIFY_DATABASE names)");
      assertThat(inScratch.isValid(5)).as("the other run's session").isTrue();
      assertThat(source.fingerprint("busy_scratch")).containsOnlyKeys("public.restored_so_far");
    }
    // Once that run is gone, its leftover is replaced and dropped as before.
    RestoreFixture.Run after = RestoreFixture.run(env, base, "verify");
    assertThat(after.status()).as(after.termination()).isZero();
    assertThat(source.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain("busy_scratch");
  }

  @Test
  void theBackupVerifierProvesAGivenFileAndRecordsTheVerifiedTime() throws Exception {
    Path file = copy(DUMPALL, base.resolve("backup/hourly"));
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("VERIFY_AFTER_BACKUP", "yes");
    List<SettingDefinition> definitions =
        new ArrayList<>(
            new SqlBackupAgent(HostEnvironment.of(Map.of(), Clock.systemUTC())).settings());
    definitions.addAll(List.of(CommonSetting.values()));
    SettingsReader reader = new SettingsReader(env, definitions, List.of());
    HostEnvironment host =
        HostEnvironment.of(
            Map.of(
                "PATH", System.getenv("PATH"), "HOME", base.toString(), "TMPDIR", base.toString()),
            Clock.systemUTC());

    BackupVerifier verifier = BackupVerifier.configure(reader, PostgresSettings.read(reader), host);
    reader.finish();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RunContext context =
        new RunContext(
            RestoreFixture.CLOCK,
            registry,
            new LocalProcessRunner(Map.of("PATH", System.getenv("PATH"))));

    assertThat(verifier.enabled()).isTrue();
    verifier.verify(file, context);
    assertThat(registry.scrape()).contains(VERIFIED, "sql_backup_verify_success 1.0");

    Files.write(file, new byte[] {31, -117, 8, 0});
    assertThatThrownBy(() -> verifier.verify(file, context))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.VERIFY_FAILED));
    assertThat(registry.scrape())
        .contains("sql_backup_verify_success 0.0", "sql_backup_verify_exit_code 12.0");
  }

  private static List<String> roles() {
    return source.queryColumn(
        "postgres", "SELECT rolname || rolpassword FROM pg_authid ORDER BY 1");
  }

  private static Path copy(String name, Path tier) throws Exception {
    Files.createDirectories(tier);
    return Files.copy(backups.resolve(name), tier.resolve(name));
  }

  /** {@code pg_dump -Fc} of {@code database} as the newest backup of the hourly tier. */
  private void customArchive(String database) throws IOException {
    Path tier = Files.createDirectories(base.resolve("backup/hourly"));
    Commands.run(
        List.of(
            source.binDir().resolve("pg_dump").toString(),
            "-Fc",
            "-f",
            tier.resolve("backup-2025-09-10T11:51:08Z-" + database + ".dump").toString(),
            database),
        source.libpqEnvironment());
  }
}
