package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.Checksums;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.TrickyData;
import io.backupagents.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact round trips of {@link TrickyData} (tricky names, text that looks like SQL or psql
 * meta-commands, LATIN1 and SQL_ASCII bytes, a NOT VALID domain constraint) through backup ->
 * recover and backup -> verify, compared by a byte-exact checksum query.
 */
class RestoreFidelityTest {

  private static final AtomicInteger COPIES = new AtomicInteger();

  private static PostgresServer source;
  private static PostgresServer target;
  private static Map<String, String> checksums;

  @TempDir Path base;

  @BeforeAll
  static void load() {
    source = PostgresServer.start();
    target = PostgresServer.start();
    TrickyData.load(source);
    // The smallest reproductions: a comment whose second line starts with \connect, and a NOT
    // VALID domain constraint, each alone in its database.
    source.createDatabase("comment_only");
    source.execute(
        "comment_only",
        "CREATE TABLE t (i int); COMMENT ON TABLE t IS E'see\\n\\\\connect elsewhere'");
    source.createDatabase("domain_only");
    source.execute(
        "domain_only",
        "CREATE DOMAIN d AS int;"
            + " ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;"
            + " CREATE TABLE uses_d (v d); INSERT INTO uses_d VALUES (1)");
    target.execute("postgres", "CREATE ROLE \"rôle \"\"r\"\" s\" LOGIN");
    checksums = new java.util.HashMap<>();
    for (String db : TrickyData.DATABASES) {
      checksums.put(db, Checksums.of(source, db));
    }
    for (String db : List.of("comment_only", "domain_only")) {
      checksums.put(db, Checksums.of(source, db));
    }
  }

  @AfterAll
  static void stop() {
    source.close();
    target.close();
  }

  @Test
  void theChecksumSeesEveryTableAndTheEncoding() {
    // psql's output has one char per byte: UTF-8 names appear as their bytes.
    assertThat(checksums.get(TrickyData.FIDELITY))
        .contains("encoding: UTF8")
        .contains(utf8Bytes("Schéma \"x\" y.Tâble \"q\" z: 7 "))
        .contains(utf8Bytes("functions: Schéma \"x\" y.fünc \"f\"="))
        .contains("public.t: 1 ");
    assertThat(checksums.get(TrickyData.LATIN1))
        .contains("encoding: LATIN1")
        .contains("public.t\u00e2ble_\u00e9 \"l\": 2 ");
    assertThat(checksums.get(TrickyData.SQL_ASCII))
        .contains("encoding: SQL_ASCII")
        .contains("public.t\u00ff\u00fe: 3 ");
  }

  @Test
  void aDumpallRecoversEveryDatabaseByteForByte() throws Exception {
    backup(Map.of());
    try (PostgresServer fresh = PostgresServer.start()) {
      RestoreFixture.Run recover =
          RestoreFixture.run(RestoreFixture.env(fresh, base), base, "recover");

      assertThat(recover.status()).as(recover.termination()).isZero();
      for (String db : TrickyData.DATABASES) {
        assertThat(Checksums.of(fresh, db)).as(db).isEqualTo(checksums.get(db));
      }
    }
  }

  @Test
  void aDumpallVerifies() throws Exception {
    Map<String, String> env = backup(Map.of());

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).as(verify.termination()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {TrickyData.FIDELITY, TrickyData.LATIN1, TrickyData.SQL_ASCII})
  void aSingleDatabaseBackupRecoversIntoANewDatabaseByteForByte(String database) throws Exception {
    backup(Map.of("DATABASE", database));
    String copy = database + "_copy_" + COPIES.incrementAndGet();

    RestoreFixture.Run recover = recover(copy, Map.of("RESTORE_CREATE_DATABASE", "yes"));

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(Checksums.of(target, copy)).isEqualTo(checksums.get(database));
  }

  @ParameterizedTest
  @ValueSource(strings = {TrickyData.FIDELITY, TrickyData.LATIN1, TrickyData.SQL_ASCII})
  void aSingleDatabaseBackupVerifies(String database) throws Exception {
    Map<String, String> env = backup(Map.of("DATABASE", database));

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).as(verify.termination()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"comment_only,plain", "domain_only,plain", "domain_only,custom"})
  void theIssuesSmallestReproductionsVerify(String database, String format) throws Exception {
    Map<String, String> env = backup(Map.of("DATABASE", database, "DUMP_FORMAT", format));

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(verify.output()).doesNotContain("dropped a line");
  }

  @ParameterizedTest
  @CsvSource({"comment_only,plain", "domain_only,plain", "domain_only,custom"})
  void theIssuesSmallestReproductionsRecoverIntoANewDatabase(String database, String format)
      throws Exception {
    backup(Map.of("DATABASE", database, "DUMP_FORMAT", format));
    String copy = database + "_" + format + "_" + COPIES.incrementAndGet();

    RestoreFixture.Run recover = recover(copy, Map.of("RESTORE_CREATE_DATABASE", "yes"));

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(Checksums.of(target, copy)).isEqualTo(checksums.get(database));
  }

  @Test
  void aCustomFormatBackupWithANotValidDomainConstraintRecoversAndVerifies() throws Exception {
    Map<String, String> env =
        backup(Map.of("DATABASE", TrickyData.FIDELITY, "DUMP_FORMAT", "custom"));
    String copy = "fidelity_custom_" + COPIES.incrementAndGet();

    RestoreFixture.Run recover = recover(copy, Map.of("RESTORE_CREATE_DATABASE", "yes"));
    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(Checksums.of(target, copy)).isEqualTo(checksums.get(TrickyData.FIDELITY));
    assertThat(verify.status()).as(verify.termination()).isZero();
  }

  @Test
  void theGuardReadsASqlAsciiTargetWithTableNamesThatAreNotUtf8() throws Exception {
    backup(Map.of("DATABASE", TrickyData.SQL_ASCII));
    String copy = "sqlascii_target_" + COPIES.incrementAndGet();
    target.psql(
        ("CREATE DATABASE "
                + copy
                + " TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C';\n\\connect "
                + copy
                + "\nCREATE TABLE \"old\u00ff\u00fe\" (id int);\n"
                + "INSERT INTO \"old\u00ff\u00fe\" VALUES (1);\n")
            .getBytes(StandardCharsets.ISO_8859_1));

    RestoreFixture.Run refused = recover(copy, Map.of());
    RestoreFixture.Run forced = recover(copy, Map.of("RESTORE_FORCE", "yes"));

    assertThat(refused.status()).as(refused.termination()).isEqualTo(10);
    assertThat(forced.status()).as(forced.termination()).isZero();
    assertThat(Checksums.of(target, copy))
        .contains(checksums.get(TrickyData.SQL_ASCII).lines().skip(1).toList());
  }

  private static String utf8Bytes(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private RestoreFixture.Run recover(String database, Map<String, String> settings) {
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", database);
    env.putAll(settings);
    return RestoreFixture.run(env, base, "recover");
  }

  /** Backs up {@code source} with {@code settings}; returns the run's environment. */
  private Map<String, String> backup(Map<String, String> settings) throws Exception {
    Map<String, String> env = RestoreFixture.env(source, base);
    env.putAll(settings);
    Files.createDirectories(base.resolve("backup"));
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    return env;
  }
}
