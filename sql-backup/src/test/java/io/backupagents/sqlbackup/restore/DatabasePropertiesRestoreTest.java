package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.Checksums;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A single-database backup carries its database's properties: encoding, collation and ctype, locale
 * provider, owner, grants, comment and settings ({@code ALTER DATABASE ... SET}, {@code ALTER ROLE
 * ... IN DATABASE ... SET}); a restore that creates the database reproduces them, under any target
 * name; a restore into an existing database keeps that database's own.
 */
class DatabasePropertiesRestoreTest {

  /** LATIN1 with the C locale: neither is the target server's default (UTF8, C.UTF-8). */
  private static final String LATIN1 = "props_latin1";

  /** UTF8 with the ICU locale provider. */
  private static final String ICU = "props_icu";

  /**
   * ASCII only: role names live in a shared catalog, stored in the encoding of the database they
   * were created from, so a non-ASCII role name cannot be named from a LATIN1 database.
   */
  private static final String EDGE = "props_edge";

  private static final String OWNER = "prop \"owner\"";

  private static PostgresServer source;
  private static PostgresServer target;
  private static Map<String, String> sourceProperties = new HashMap<>();

  @TempDir Path base;

  @BeforeAll
  static void load() {
    source = PostgresServer.start();
    target = PostgresServer.start();
    for (String statement :
        List.of(
            "CREATE ROLE \"prop \"\"owner\"\"\" LOGIN",
            "CREATE ROLE reader LOGIN",
            "CREATE DATABASE props_latin1 TEMPLATE template0 ENCODING 'LATIN1'"
                + " LOCALE 'C' OWNER \"prop \"\"owner\"\"\"",
            "CREATE DATABASE props_icu TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
                + " LOCALE_PROVIDER icu ICU_LOCALE 'de' OWNER \"prop \"\"owner\"\"\"")) {
      source.execute("postgres", statement);
    }
    for (String db : List.of(LATIN1, ICU)) {
      source.execute(
          "postgres",
          String.join(
              "\n",
              "REVOKE TEMP ON DATABASE " + db + " FROM PUBLIC;",
              "GRANT CONNECT, TEMP ON DATABASE " + db + " TO reader;",
              "COMMENT ON DATABASE " + db + " IS 'the ''" + db + "'' database: Grüße';",
              "ALTER DATABASE " + db + " SET work_mem = '7MB';",
              "ALTER DATABASE " + db + " SET search_path = app, public;",
              "ALTER ROLE reader IN DATABASE " + db + " SET statement_timeout = '11s';"));
      source.execute(
          db,
          "CREATE SCHEMA app; CREATE TABLE app.notes (id int, note text);"
              + " INSERT INTO app.notes SELECT g, 'Notiz ' || g || ' äöü' FROM"
              + " generate_series(1, 50) g; ALTER TABLE app.notes OWNER TO \"prop \"\"owner\"\"\"");
      sourceProperties.put(db, properties(source, db));
    }
    // A database that refuses writes once restored, with a comment longer than a backup's head
    // was read (64 KiB), and a table owned by a role the target lacks.
    source.execute(
        "postgres",
        "CREATE DATABASE "
            + EDGE
            + " TEMPLATE template0; CREATE ROLE only_on_source;"
            + " COMMENT ON DATABASE "
            + EDGE
            + " IS '"
            + "long comment ".repeat(6_000)
            + "';");
    source.execute(
        EDGE,
        "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10);"
            + " CREATE TABLE owned (id int); ALTER TABLE owned OWNER TO only_on_source");
    source.execute(
        "postgres", "ALTER DATABASE " + EDGE + " SET default_transaction_read_only = on");
    sourceProperties.put(EDGE, properties(source, EDGE));
    // The roles exist where the database is restored, as on a staging server.
    target.execute(
        "postgres", "CREATE ROLE \"prop \"\"owner\"\"\" LOGIN; CREATE ROLE reader LOGIN");
  }

  @AfterAll
  static void stop() {
    source.close();
    target.close();
  }

  @Test
  void theSourceHasPropertiesThatDifferFromTheTargetsDefaults() {
    assertThat(sourceProperties.get(LATIN1))
        .contains("encoding=LATIN1", "collate=C", "ctype=C", "provider=c")
        .contains("owner=" + OWNER, "reader=Tc/", "work_mem=7MB", "statement_timeout=11s");
    assertThat(sourceProperties.get(ICU)).contains("provider=i", "icu=de");
  }

  @ParameterizedTest
  @ValueSource(strings = {LATIN1, ICU})
  void aRestoreThatCreatesTheDatabaseUnderItsOwnNameReproducesItsProperties(String database)
      throws Exception {
    backup(database);

    RestoreFixture.Run recover = recover(database, "yes");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(properties(target, database)).isEqualTo(sourceProperties.get(database));
    assertThat(Checksums.of(target, database)).isEqualTo(Checksums.of(source, database));
  }

  @ParameterizedTest
  @ValueSource(strings = {LATIN1, ICU})
  void aRestoreThatCreatesTheDatabaseUnderAnotherNameReproducesItsProperties(String database)
      throws Exception {
    backup(database);
    // A plain name: names that need quoting are QuotedDatabaseNamesRoundTripTest's concern.
    String other = database + "_renamed";

    RestoreFixture.Run recover = recover(other, "yes");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(properties(target, other)).isEqualTo(sourceProperties.get(database));
  }

  @Test
  void aDatabaseSetReadOnlyWithAHugeCommentIsRestoredAndGetsItsSettingsOnceItsDataIsIn()
      throws Exception {
    backup(EDGE);
    target.execute("postgres", "CREATE ROLE only_on_source");
    try {
      RestoreFixture.Run recover = recover(EDGE, "yes");

      assertThat(recover.status()).as(recover.termination()).isZero();
      assertThat(recover.output()).contains("its 1 settings follow once the data is in");
      assertThat(properties(target, EDGE)).isEqualTo(sourceProperties.get(EDGE));
      assertThat(Checksums.of(target, EDGE)).isEqualTo(Checksums.of(source, EDGE));
      Map<String, String> env = RestoreFixture.env(source, base);
      env.put("DATABASE", EDGE);
      RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
      assertThat(verify.status()).as(verify.termination()).isZero();
    } finally {
      target.execute("postgres", "DROP DATABASE IF EXISTS " + EDGE);
      target.execute("postgres", "DROP ROLE only_on_source");
    }
  }

  @Test
  void aDatabaseTheRestoreCreatedIsDroppedAgainWhenTheRestoreFails() throws Exception {
    backup(EDGE);

    RestoreFixture.Run recover = recover(EDGE, "yes");

    assertThat(recover.status()).isEqualTo(6);
    assertThat(recover.termination())
        .contains("role \"only_on_source\" does not exist")
        .endsWith("the database this run created was dropped again)");
    assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain(EDGE);
  }

  @Test
  void aRestoreIntoAnExistingDatabaseKeepsItsOwnPropertiesAndSaysSo() throws Exception {
    backup(LATIN1);
    target.execute("postgres", "CREATE DATABASE existing_props");
    target.execute(
        "postgres",
        "COMMENT ON DATABASE existing_props IS 'staging''s own';"
            + " ALTER DATABASE existing_props SET work_mem = '3MB'");
    String before = properties(target, "existing_props");

    RestoreFixture.Run recover = recover("existing_props", "no");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(recover.output()).contains("keeps its own");
    assertThat(properties(target, "existing_props")).isEqualTo(before);
    assertThat(target.queryString("existing_props", "SELECT count(*) FROM app.notes"))
        .isEqualTo("50");
  }

  @Test
  void theBackupStillRestoresTheLegacyWayIntoAnExistingEmptyDatabase() throws Exception {
    backup(LATIN1);
    Path file = base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-" + LATIN1 + ".sql.gz");
    target.execute(
        "postgres", "CREATE DATABASE legacy_props TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C'");

    Map<String, String> env = new HashMap<>(target.libpqEnvironment());
    env.put("BACKUP_FILE", file.toString());
    env.put("PSQL", target.binDir().resolve("psql").toString());
    Commands.run(
        List.of(
            "bash",
            "-o",
            "pipefail",
            "-c",
            "gunzip -c \"$BACKUP_FILE\" | \"$PSQL\" -X -q -v ON_ERROR_STOP=1 -d legacy_props"),
        env);

    assertThat(Checksums.of(target, "legacy_props").lines().skip(1))
        .containsExactlyElementsOf(Checksums.of(source, LATIN1).lines().skip(1).toList());
  }

  /**
   * The properties of {@code database}, one {@code name=value} per line, with nothing that names
   * the database itself (so a copy under another name compares equal).
   */
  static String properties(PostgresServer server, String database) {
    String literal = "'" + database.replace("'", "''") + "'";
    return String.join(
        "\n",
        server.queryColumn(
            "postgres",
            "SELECT 'encoding=' || pg_encoding_to_char(d.encoding) || E'\\ncollate=' || d.datcollate"
                + " || E'\\nctype=' || d.datctype || E'\\nprovider=' || d.datlocprovider::text"
                + " || E'\\nicu=' || coalesce(d.daticulocale, '') || E'\\nowner=' ||"
                + " pg_get_userbyid(d.datdba) || E'\\nacl=' || coalesce((SELECT string_agg(a::text, ' ' ORDER BY a::text)"
                + " FROM unnest(d.datacl) a), '')"
                + " || E'\\ncomment=' || coalesce(shobj_description(d.oid, 'pg_database'), '')"
                + " || E'\\nsettings=' || coalesce((SELECT string_agg(coalesce(r.rolname, '*')"
                + " || ':' || array_to_string(s.setconfig, ','), ';' ORDER BY 1)"
                + " FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole"
                + " WHERE s.setdatabase = d.oid), '')"
                + " FROM pg_database d WHERE d.datname = "
                + literal));
  }

  private RestoreFixture.Run recover(String database, String create) {
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", database);
    env.put("RESTORE_CREATE_DATABASE", create);
    return RestoreFixture.run(env, base, "recover");
  }

  private void backup(String database) throws Exception {
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("DATABASE", database);
    Files.createDirectories(base.resolve("backup"));
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
  }
}
