package io.backupagents.sqlbackup.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The database properties of pg_dump --create output (PostgreSQL 15), carried and renamed. */
class DatabasePropertiesTest {

  // What pg_dump --create --schema-only --exclude-schema=* writes, LATIN1 bytes in the comment.
  private static final byte[] PG_DUMP =
      String.join(
              "\n",
              "--",
              "-- PostgreSQL database dump",
              "--",
              "\\restrict abc",
              "SET client_encoding = 'LATIN1';",
              "SET standard_conforming_strings = on;",
              "SELECT pg_catalog.set_config('search_path', '', false);",
              "--",
              "-- Name: \"Café\"; Type: DATABASE; Schema: -; Owner: r1",
              "--",
              "CREATE DATABASE \"Caf\u00e9\" WITH TEMPLATE = template0 ENCODING = 'LATIN1'"
                  + " LOCALE_PROVIDER = libc LOCALE = 'C' TABLESPACE = fast;",
              "ALTER DATABASE \"Caf\u00e9\" OWNER TO r1;",
              "\\unrestrict abc",
              "\\connect -reuse-previous=on \"dbname='Caf\u00e9'\"",
              "\\restrict abc",
              "SET client_encoding = 'LATIN1';",
              "COMMENT ON DATABASE \"Caf\u00e9\" IS 'multi",
              "\\connect line cr\u00e8me';",
              "ALTER DATABASE \"Caf\u00e9\" SET work_mem TO '8MB';",
              "ALTER ROLE r1 IN DATABASE \"Caf\u00e9\" SET work_mem TO '9MB';",
              "REVOKE CONNECT,TEMPORARY ON DATABASE \"Caf\u00e9\" FROM PUBLIC;",
              "GRANT CONNECT ON DATABASE \"Caf\u00e9\" TO \"ON DATABASE x\";",
              "\\unrestrict abc",
              "")
          .getBytes(StandardCharsets.ISO_8859_1);

  private static final String SESSION =
      "SET statement_timeout = 0;\nSET lock_timeout = 0;\n"
          + "SET idle_in_transaction_session_timeout = 0;\nSET default_transaction_read_only = off;\n";

  @Test
  void theStatementsAboutTheDatabaseAreRenamedForTheTarget() {
    DatabaseProperties p = DatabaseProperties.fromPgDump(PG_DUMP).orElseThrow();

    assertThat(p.sourceName()).isEqualTo("Caf\u00e9");
    assertThat(p.encoding()).contains("LATIN1");
    assertThat(p.hadTablespace()).isTrue();
    assertThat(p.createAs("new db"))
        .isEqualTo(
            "CREATE DATABASE \"new db\" WITH TEMPLATE = template0 ENCODING = 'LATIN1'"
                + " LOCALE_PROVIDER = libc LOCALE = 'C';");
    assertThat(p.applyTo("new db"))
        .containsExactly(
            "ALTER DATABASE \"new db\" OWNER TO r1;",
            "COMMENT ON DATABASE \"new db\" IS 'multi\n\\connect line cr\u00e8me';",
            "ALTER DATABASE \"new db\" SET work_mem TO '8MB';",
            "ALTER ROLE r1 IN DATABASE \"new db\" SET work_mem TO '9MB';",
            "REVOKE CONNECT,TEMPORARY ON DATABASE \"new db\" FROM PUBLIC;",
            "GRANT CONNECT ON DATABASE \"new db\" TO \"ON DATABASE x\";");
    // CREATE DATABASE where psql starts, in UTF-8; the rest in the new database, in pg_dump's
    // encoding, with the name in UTF-8 as the catalog holds it.
    byte[] script = p.script("n\u00e9 'x'");
    assertThat(new String(script, StandardCharsets.ISO_8859_1))
        .startsWith(
            "SET client_encoding = 'UTF8';\n"
                + SESSION
                + "CREATE DATABASE \"n\u00c3\u00a9 'x'\" WITH TEMPLATE")
        .contains(
            "\\connect -reuse-previous=on \"dbname='n\u00c3\u00a9 \\'x\\''\"\n"
                + "SET client_encoding = 'LATIN1';\n"
                + SESSION
                + "ALTER DATABASE \"n\u00c3\u00a9 'x'\" OWNER TO r1;")
        .contains(
            "COMMENT ON DATABASE \"n\u00c3\u00a9 'x'\" IS 'multi\n\\connect line cr\u00e8me';")
        .contains("GRANT CONNECT ON DATABASE")
        .doesNotContain("SET work_mem");
    // Settings wait until the data is in: a database set read-only would refuse the restore.
    assertThat(p.afterData("new db"))
        .containsExactly(
            "ALTER DATABASE \"new db\" SET work_mem TO '8MB';",
            "ALTER ROLE r1 IN DATABASE \"new db\" SET work_mem TO '9MB';");
    assertThat(new String(p.afterDataScript("new db"), StandardCharsets.ISO_8859_1))
        .isEqualTo(
            "SET client_encoding = 'LATIN1';\n"
                + SESSION
                + "ALTER DATABASE \"new db\" SET work_mem TO '8MB';\n"
                + "ALTER ROLE r1 IN DATABASE \"new db\" SET work_mem TO '9MB';\n");
  }

  @Test
  void theBlockIsReadBackFromTheHeadOfABackupWithItsBytes() throws IOException {
    DatabaseProperties p = DatabaseProperties.fromPgDump(PG_DUMP).orElseThrow();
    byte[] block = p.block();
    String text = new String(block, StandardCharsets.ISO_8859_1);
    byte[] backup =
        (text + "--\n-- PostgreSQL database dump\n--\nSELECT 1;\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    DatabaseProperties read =
        DatabaseProperties.fromBackupHead(new ByteArrayInputStream(backup)).orElseThrow();

    assertThat(read.script("x")).isEqualTo(p.script("x"));
    // psql sees only comments: every line of the block starts with "--".
    assertThat(text.lines()).allMatch(l -> l.isEmpty() || l.startsWith("--"));
    assertThat(text.lines().filter(l -> !l.isEmpty())).allMatch(DatabaseProperties::isBlockLine);
  }

  @Test
  void aDumpWithoutTheBlockHasNoProperties() throws IOException {
    byte[] legacy = "--\n-- PostgreSQL database dump\n--\n".getBytes(StandardCharsets.UTF_8);

    assertThat(DatabaseProperties.fromBackupHead(new ByteArrayInputStream(legacy))).isEmpty();
    assertThat(DatabaseProperties.fromPgDump(legacy)).isEmpty();
  }
}
