package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain backup's table data loads over several connections (RESTORE_JOBS) and the result is the
 * source's, byte for byte: each connection's session is set up as the main one's (client encoding
 * of a LATIN1 database, the session authorization of a dump made with {@code
 * --use-set-session-authorization}, row security off for a table that forces it), a COPY inside a
 * transaction block the dump opens stays where it is, and a COPY that fails on any connection stops
 * the restore with its own error.
 */
class ParallelTableDataTest {

  private static final String DATABASE = "par_latin1";

  private static PostgresServer source;
  private static PostgresServer target;

  @TempDir Path base;

  @BeforeAll
  static void load() {
    source = PostgresServer.start();
    target = PostgresServer.start();
    for (PostgresServer server : List.of(source, target)) {
      server.execute("postgres", "CREATE ROLE loader LOGIN");
    }
    source.execute(
        "postgres",
        "CREATE DATABASE "
            + DATABASE
            + " TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C' OWNER loader");
    source.execute(
        DATABASE,
        String.join(
            "\n",
            "CREATE SCHEMA app AUTHORIZATION loader;",
            "SET ROLE loader;",
            // Sorted first in the dump and large: the main connection is busy with it while the
            // others load the rest.
            "CREATE TABLE app.aa_big (id int PRIMARY KEY, body text);",
            "INSERT INTO app.aa_big SELECT g, 'Größe ' || g || E' tab\\there \\\\ back'"
                + " || repeat(' é', g % 40) FROM generate_series(1, 150000) g;",
            "CREATE TABLE app.bb_checked (id int, v int CHECK (v > 0));",
            "INSERT INTO app.bb_checked SELECT g, g FROM generate_series(1, 500) g;",
            "CREATE TABLE app.cc_secret (id int, owner_name text);",
            "INSERT INTO app.cc_secret SELECT g, 'user' || g FROM generate_series(1, 300) g;",
            "ALTER TABLE app.cc_secret ENABLE ROW LEVEL SECURITY;",
            "ALTER TABLE app.cc_secret FORCE ROW LEVEL SECURITY;",
            "CREATE POLICY only_even ON app.cc_secret USING (id % 2 = 0);",
            "CREATE TABLE app.dd_measures (at date, v numeric) PARTITION BY RANGE (at);",
            "CREATE TABLE app.dd_2024 PARTITION OF app.dd_measures"
                + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
            "CREATE TABLE app.dd_2025 PARTITION OF app.dd_measures"
                + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
            "INSERT INTO app.dd_measures SELECT date '2024-01-01' + g, g / 7.0"
                + " FROM generate_series(0, 700) g;",
            "CREATE TABLE app.ee_refs (id int REFERENCES app.aa_big (id));",
            "INSERT INTO app.ee_refs SELECT generate_series(1, 1000);",
            // Large objects: pg_dump writes them in a transaction block of their own.
            "SELECT lo_from_bytea(0, convert_to('large object ' || g, 'LATIN1'))"
                + " FROM generate_series(1, 3) g;",
            "RESET ROLE;"));
  }

  @AfterAll
  static void stop() {
    source.close();
    target.close();
  }

  @AfterEach
  void dropRestored() {
    target.execute("postgres", "DROP DATABASE IF EXISTS " + DATABASE);
  }

  @Test
  void theTableDataOfAPlainBackupLoadsOverSeveralConnectionsAsTheSourceHadIt() throws Exception {
    dump("--use-set-session-authorization");
    String sql = read(file());
    assertThat(sql).contains("SET SESSION AUTHORIZATION 'loader';");
    // A file of pg_dump's own does not carry the database's owner: loader gets to create its
    // schema.
    int head = sql.indexOf("SET row_security = off;\n") + "SET row_security = off;\n".length();
    write(
        file(),
        sql.substring(0, head)
            + "GRANT CREATE ON DATABASE "
            + DATABASE
            + " TO loader;\n"
            + sql.substring(head));

    RestoreFixture.Run recover = recover(Map.of());

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(recover.output())
        .contains("restoring into " + DATABASE + " through psql, loading table data over 3");
    // The file restores into a UTF8 database (a file of pg_dump's own does not say how to create
    // it): every connection must have told the server that the data is LATIN1.
    assertThat(target.queryString(DATABASE, "SHOW server_encoding")).isEqualTo("UTF8");
    assertThat(contents(target)).isEqualTo(contents(source));
    assertThat(
            target.queryString(
                DATABASE,
                "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables"
                    + " WHERE schemaname = 'app'"))
        .isEqualTo("loader");
  }

  @Test
  void aCopyInsideATransactionBlockOfTheDumpStaysOnTheMainConnection() throws Exception {
    dump();
    StringBuilder block = new StringBuilder("BEGIN;\n");
    for (int t = 1; t <= 4; t++) {
      block.append("CREATE TABLE app.in_block_").append(t).append(" (id int);\n");
    }
    for (int t = 1; t <= 4; t++) {
      block.append("COPY app.in_block_").append(t).append(" (id) FROM stdin;\n");
      // Large enough that the main connection is still loading one when another could claim the
      // next.
      for (int i = 1; i <= 50_000; i++) {
        block.append(i).append('\n');
      }
      block.append("\\.\n");
    }
    block.append("COMMIT;\n");
    insertBeforeTheEnd(block.toString());

    RestoreFixture.Run recover = recover(Map.of());

    assertThat(recover.status()).as(recover.termination()).isZero();
    for (int t = 1; t <= 4; t++) {
      assertThat(target.queryString(DATABASE, "SELECT count(*) FROM app.in_block_" + t))
          .isEqualTo("50000");
    }
  }

  @Test
  void aCopyThatFailsOnAnyConnectionStopsTheRestoreWithItsError() throws Exception {
    dump();
    String sql = read(file());
    int data = sql.indexOf("COPY app.bb_checked");
    int row = sql.indexOf("\n250\t250\n", data);
    assertThat(row).isPositive();
    write(
        file(),
        sql.substring(0, row) + "\n250\t-250\n" + sql.substring(row + "\n250\t250\n".length()));

    RestoreFixture.Run stopped = recover(Map.of());

    assertThat(stopped.status()).isEqualTo(6);
    assertThat(stopped.termination())
        .contains("stopped at the first SQL error")
        .contains("violates check constraint \"bb_checked_v_check\"")
        .endsWith("the database this run created was dropped again)");
    assertThat(target.queryColumn("postgres", "SELECT datname FROM pg_database"))
        .doesNotContain(DATABASE);

    RestoreFixture.Run goneOn = recover(Map.of("DO_NOT_STOP_ON_ERROR", "yes"));

    assertThat(goneOn.status()).as(goneOn.termination()).isZero();
    assertThat(goneOn.metrics()).contains("sql_backup_restore_sql_errors 1.0");
    assertThat(target.queryString(DATABASE, "SELECT count(*) FROM app.aa_big")).isEqualTo("150000");
    assertThat(target.queryString(DATABASE, "SELECT count(*) FROM app.bb_checked")).isEqualTo("0");
  }

  @Test
  void verifyLoadsTheTableDataOverSeveralConnectionsToo() throws Exception {
    dump();
    Map<String, String> env = RestoreFixture.env(source, base);
    env.put("DATABASE", DATABASE);
    env.put("RESTORE_JOBS", "3");

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(verify.output()).contains("app.aa_big 150000");
  }

  @Test
  void verifyOfADumpallLoadsEachDatabaseOverSeveralConnections() throws Exception {
    // A database after this one in the dumpall, with tables of its own: the other readers follow
    // the main one section by section, each COPY of each section loaded once, into its own table.
    source.execute("postgres", "CREATE DATABASE par_second");
    try {
      source.execute(
          "par_second",
          "CREATE TABLE zz_after (id int PRIMARY KEY, v text);"
              + " INSERT INTO zz_after SELECT g, md5(g::text) FROM generate_series(1, 40000) g;"
              + " CREATE TABLE zz_more (id int);"
              + " INSERT INTO zz_more SELECT generate_series(1, 3000);");
      RestoreFixture.legacyDumpall(
          source, base.resolve("backup/hourly/backup-2025-09-10T10:00:00Z-dumpall.sql.gz"));
      Map<String, String> env = RestoreFixture.env(source, base);
      env.put("RESTORE_JOBS", "3");

      RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

      assertThat(verify.status()).as(verify.termination()).isZero();
      assertThat(verify.output())
          .contains(
              DATABASE + ": ",
              "app.aa_big 150000 (source 150000)",
              "app.ee_refs 1000 (source 1000)",
              "par_second: 2 tables (source 2)",
              "public.zz_after 40000 (source 40000)",
              "public.zz_more 3000 (source 3000)");
      assertThat(source.queryColumn("postgres", "SELECT datname FROM pg_database"))
          .doesNotContain("sql_backup_verify");
    } finally {
      source.execute("postgres", "DROP DATABASE par_second");
    }
  }

  /** Each table's row count and the MD5 of its rows as UTF-8, whatever the database's encoding. */
  private static List<String> contents(PostgresServer server) {
    List<String> tables =
        server.queryColumn(
            DATABASE,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'app' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                + " ORDER BY c.relname");
    List<String> contents = new ArrayList<>();
    for (String table : tables) {
      contents.add(
          table
              + " "
              + server.queryString(
                  DATABASE,
                  "SELECT count(*) || ' ' || md5(coalesce(string_agg(convert_to(t::text, 'UTF8'),"
                      + " '\\x0a'::bytea ORDER BY convert_to(t::text, 'UTF8')), ''::bytea))"
                      + " FROM app."
                      + table
                      + " t"));
    }
    contents.add(
        "large objects "
            + server.queryString(
                DATABASE,
                "SELECT count(*) || ' ' || md5(string_agg(lo_get(oid)::text, ',' ORDER BY oid))"
                    + " FROM pg_largeobject_metadata"));
    return contents;
  }

  private RestoreFixture.Run recover(Map<String, String> extra) {
    Map<String, String> env = RestoreFixture.env(target, base);
    env.put("DATABASE", DATABASE);
    env.put("RESTORE_CREATE_DATABASE", "yes");
    env.put("RESTORE_JOBS", "3");
    env.putAll(extra);
    return RestoreFixture.run(env, base, "recover");
  }

  private Path file() {
    return base.resolve("backup/hourly/backup-2025-09-10T10:00:00Z-" + DATABASE + ".sql.gz");
  }

  /** {@code pg_dump --clean --if-exists [option] | gzip}, as the legacy image made backups. */
  private void dump(String... options) throws IOException {
    Files.createDirectories(file().getParent());
    Commands.run(
        List.of(
            "bash",
            "-c",
            "set -eo pipefail; "
                + source.binDir().resolve("pg_dump")
                + " --clean --if-exists "
                + String.join(" ", options)
                + " "
                + DATABASE
                + " | gzip > '"
                + file()
                + "'"),
        source.libpqEnvironment());
  }

  private void insertBeforeTheEnd(String sql) throws IOException {
    String dump = read(file());
    int at = dump.indexOf("--\n-- PostgreSQL database dump complete");
    write(file(), dump.substring(0, at) + sql + dump.substring(at));
  }

  private static String read(Path file) throws IOException {
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void write(Path file, String sql) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(sql.getBytes(StandardCharsets.ISO_8859_1));
    }
  }
}
