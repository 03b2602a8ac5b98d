package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RESTORE_DATABASES} (or {@code recover --database NAME}, repeatable, which wins) restores
 * only the named databases of a dumpall, with the roles their sections reference, and nothing else
 * of the server.
 */
class RestoreDatabasesTest {

  private static final String QUOTED = "a,w \"x\"";

  private static PostgresServer source;
  private static Path backups;
  private static Map<String, String> keycloak;
  private static Map<String, String> awx;

  @TempDir Path base;

  @BeforeAll
  static void backUpTheInfrastructureServer(@TempDir Path dir) throws Exception {
    source = PostgresServer.start();
    for (String statement :
        List.of(
            "CREATE ROLE keycloak_owner LOGIN",
            "CREATE ROLE awx_reader LOGIN",
            "CREATE ROLE unrelated LOGIN",
            "CREATE DATABASE keycloak OWNER keycloak_owner",
            "CREATE DATABASE \"a,w \"\"x\"\"\"",
            "CREATE DATABASE other OWNER unrelated",
            "COMMENT ON DATABASE \"a,w \"\"x\"\"\" IS 'automation'",
            "CREATE TABLE postgres_only (id int)")) {
      source.execute("postgres", statement);
    }
    source.execute(
        "keycloak",
        "CREATE TABLE realm (id int, name text) ; ALTER TABLE realm OWNER TO keycloak_owner;"
            + " INSERT INTO realm SELECT g, 'realm ' || g FROM generate_series(1, 40) g");
    source.execute(
        QUOTED,
        "CREATE TABLE job (id int, state text); GRANT SELECT ON job TO awx_reader;"
            + " INSERT INTO job SELECT g, 'done' FROM generate_series(1, 70) g");
    source.execute("other", "CREATE TABLE secret (id int); INSERT INTO secret VALUES (1)");
    keycloak = RestoreFixture.fingerprint(source, "keycloak");
    awx = RestoreFixture.fingerprint(source, QUOTED);
    backups = dir;
    Files.createDirectories(dir.resolve("backup"));
    RestoreFixture.Run backup = RestoreFixture.run(RestoreFixture.env(source, dir), dir, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void onlyTheNamedDatabasesAndTheRolesTheirSectionsReferenceAreRestored() {
    try (PostgresServer target = PostgresServer.start()) {
      RestoreFixture.Run run =
          recover(target, Map.of("RESTORE_DATABASES", "keycloak,\"a,w \"\"x\"\"\""));

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .containsExactlyInAnyOrder("postgres", "template0", "template1", "keycloak", QUOTED);
      assertThat(target.queryColumn("postgres", "SELECT rolname FROM pg_roles"))
          .contains("keycloak_owner", "awx_reader")
          .doesNotContain("unrelated");
      assertThat(RestoreFixture.fingerprint(target, "keycloak")).isEqualTo(keycloak);
      assertThat(RestoreFixture.fingerprint(target, QUOTED)).isEqualTo(awx);
      assertThat(
              target.queryString(
                  "postgres",
                  "SELECT pg_get_userbyid(datdba) || ' ' || coalesce(shobj_description(oid,"
                      + " 'pg_database'), '') FROM pg_database WHERE datname = 'keycloak'"))
          .isEqualTo("keycloak_owner ");
      assertThat(
              target.queryString(
                  "postgres",
                  "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                      + " WHERE datname = 'a,w \"x\"'"))
          .isEqualTo("automation");
      assertThat(target.fingerprint("postgres"))
          .as("the postgres database is not restored")
          .isEmpty();
    }
  }

  @Test
  void theDatabaseArgumentIsRepeatableAndWinsOverTheSetting() {
    try (PostgresServer target = PostgresServer.start()) {
      RestoreFixture.Run run =
          RestoreFixture.run(
              env(target, Map.of("RESTORE_DATABASES", "other")),
              base,
              "recover",
              "--database",
              "keycloak",
              "--database",
              QUOTED);

      assertThat(run.status()).as(run.termination()).isZero();
      assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .containsExactlyInAnyOrder("postgres", "template0", "template1", "keycloak", QUOTED);
    }
  }

  @Test
  void aNameTheBackupDoesNotHoldFailsNamingItAndWhatTheBackupHolds() {
    try (PostgresServer target = PostgresServer.start()) {
      RestoreFixture.Run run = recover(target, Map.of("RESTORE_DATABASES", "keycloak,nope"));

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.termination())
          .startsWith("FAILURE (2: ")
          .contains("nope")
          .contains("keycloak", "other", "postgres")
          .contains("a,w");
      assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .containsExactlyInAnyOrder("postgres", "template0", "template1");
    }
  }

  @Test
  void aNamedDatabaseWithUserTablesOnTheTargetIsOnlyReplacedWhenForced() {
    try (PostgresServer target = PostgresServer.start()) {
      target.execute("postgres", "CREATE DATABASE keycloak");
      target.execute("keycloak", "CREATE TABLE staging_data (id int)");

      RestoreFixture.Run refused = recover(target, Map.of("RESTORE_DATABASES", "keycloak"));
      assertThat(refused.status()).as(refused.termination()).isEqualTo(10);
      assertThat(target.fingerprint("keycloak")).containsOnlyKeys("public.staging_data");

      RestoreFixture.Run forced =
          recover(target, Map.of("RESTORE_DATABASES", "keycloak", "RESTORE_FORCE", "yes"));
      assertThat(forced.status()).as(forced.termination()).isZero();
      assertThat(RestoreFixture.fingerprint(target, "keycloak")).isEqualTo(keycloak);
    }
  }

  private RestoreFixture.Run recover(PostgresServer target, Map<String, String> settings) {
    return RestoreFixture.run(env(target, settings), base, "recover");
  }

  private Map<String, String> env(PostgresServer target, Map<String, String> settings) {
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("BACKUP_ROOT_DIR", backups.resolve("backup").toString());
    env.putAll(settings);
    return env;
  }
}
