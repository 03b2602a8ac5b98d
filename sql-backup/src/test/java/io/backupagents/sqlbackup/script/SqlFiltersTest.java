package io.backupagents.sqlbackup.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.sqlbackup.sql.Identifiers;
import io.backupagents.sqlbackup.sql.SqlScanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stream filters on a real pg_dumpall file of PostgreSQL 15 (with \restrict lines). */
class SqlFiltersTest {

  private static final String DUMPALL =
      resource("/io/backupagents/sqlbackup/testing/pg15-dumpall.sql");

  @Test
  void clusterFilterLeavesOutOnlyTheStatementsAboutTheConnectedRole() throws IOException {
    ClusterRestoreFilter filter = new ClusterRestoreFilter(Set.of("postgres"), "postgres", false);

    String out = filter(filter, DUMPALL);

    assertThat(out.lines())
        .doesNotContain("DROP ROLE IF EXISTS postgres;", "CREATE ROLE postgres;")
        .noneMatch(line -> line.startsWith("ALTER ROLE postgres WITH"))
        .contains("ALTER ROLE postgres SET work_mem TO '8MB';");
    assertThat(out).contains("DROP ROLE IF EXISTS appuser;", "CREATE ROLE appuser;");
    assertThat(out).contains("ALTER ROLE appuser WITH NOSUPERUSER");
    assertThat(filter.roleStatementsLeftOut()).isEqualTo(3);
  }

  @Test
  void clusterFilterChangesNothingElseWhenStartingInPostgres() throws IOException {
    String out = filter(new ClusterRestoreFilter(Set.of("postgres"), "postgres", false), DUMPALL);

    assertThat(withoutRoleLines(out)).isEqualTo(withoutRoleLines(DUMPALL));
  }

  @Test
  void clusterFilterLeavesTheDatabaseItIsConnectedToBeforeDroppingIt() throws IOException {
    String out = filter(new ClusterRestoreFilter(Set.of("postgres"), "template1", false), DUMPALL);

    String key = "f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH";
    assertThat(out)
        .contains(
            "\\unrestrict "
                + key
                + "\n\\connect postgres\n\\restrict "
                + key
                + "\nDROP DATABASE template1;\n");
    // Later, psql is in app when the postgres section drops postgres: no reconnect there.
    assertThat(out).contains("SET row_security = off;\n\nDROP DATABASE postgres;\n");
  }

  @Test
  void forceDisconnectsSessionsOfDroppedDatabases() throws IOException {
    String out = filter(new ClusterRestoreFilter(Set.of("postgres"), "postgres", true), DUMPALL);

    assertThat(out)
        .contains(
            "UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = 'app' AND"
                + " datistemplate;\nDROP DATABASE IF EXISTS app WITH (FORCE);",
            "DROP DATABASE template1 WITH (FORCE);",
            "DROP DATABASE postgres WITH (FORCE);");
  }

  @Test
  void functionBodiesAndCopyDataPassUntouched() throws IOException {
    String out = filter(new ClusterRestoreFilter(Set.of("postgres"), "app", true), DUMPALL);

    assertThat(out)
        .contains(
            "BEGIN\nDROP DATABASE IF EXISTS app;\nGRANT SELECT ON public.p TO appuser;\n"
                + "ALTER TABLE public.p OWNER TO appuser;\n")
        .contains("1\tDROP ROLE IF EXISTS postgres;\\n\\\\connect template1\\nDROP DATABASE app;");
  }

  @Test
  void scratchFilterSplitsADumpallIntoItsDatabases() throws IOException {
    List<String> names = new ArrayList<>();
    List<String> sections = new ArrayList<>();
    SqlLineReader lines = reader(DUMPALL);
    ScratchFilter globals = new ScratchFilter(true);
    globals.copy(lines, OutputStream.nullOutputStream());
    Optional<String> next = globals.nextDatabase();
    while (next.isPresent()) {
      names.add(next.get());
      lines.next();
      ScratchFilter section = new ScratchFilter(true);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      section.copy(lines, out);
      sections.add(out.toString(StandardCharsets.UTF_8));
      next = section.nextDatabase();
      if (next.isEmpty()) {
        assertThat(section.atClusterEnd()).isTrue();
      }
    }

    assertThat(names).containsExactly("template1", "app", "postgres");
    String app = sections.get(1);
    assertThat(app.lines())
        .noneMatch(line -> line.startsWith("\\connect"))
        .noneMatch(line -> line.matches("(CREATE|ALTER|COMMENT ON) DATABASE .*"))
        .noneMatch(line -> line.matches("ALTER .* OWNER TO postgres;"))
        .doesNotContain("second line';");
    assertThat(app)
        .contains("CREATE TABLE public.p (", "COPY public.copy_trap (id, body) FROM stdin;")
        .contains("GRANT SELECT ON public.p TO appuser;\nALTER TABLE public.p OWNER TO appuser;")
        .contains("4\tx\\n\\\\.\\nGRANT ALL ON DATABASE app TO PUBLIC;\n\\.\n");
    assertThat(sections.get(0)).doesNotContain("IS_TEMPLATE", "pg_database", "ON DATABASE");
    assertThat(String.join("", sections).lines())
        .noneMatch(line -> line.matches("(CREATE|ALTER|DROP) ROLE .*"));
  }

  @Test
  void metaCommandsADumpNeverHoldsAreDropped() throws IOException {
    String sql = "SELECT 1;\n\\! rm -rf /\n\\o /etc/passwd\n\\set ON_ERROR_STOP 1\nSELECT 2;\n";

    String out = filter(new ClusterRestoreFilter(Set.of(), "postgres", false), sql);

    assertThat(out).isEqualTo("SELECT 1;\n\\set ON_ERROR_STOP 1\nSELECT 2;\n");
  }

  @Test
  void linesInsideAStringPassUntouchedEvenWhenTheyLookLikeMetaCommands() throws IOException {
    // pg_dump writes E'see\n\\connect elsewhere' as a plain literal with a real line break.
    String sql =
        "CREATE TABLE t (i int);\nCOMMENT ON TABLE t IS 'see\n\\connect elsewhere\n\\c x';\n"
            + "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n\\connect y\nSELECT 1$$;\n";

    for (SqlStreamFilter filter :
        List.of(
            new ScratchFilter(false),
            new OneTransactionFilter(true),
            new ClusterRestoreFilter(Set.of(), "postgres", false))) {
      assertThat(filter(filter, sql)).as(filter.getClass().getSimpleName()).isEqualTo(sql);
    }
  }

  @Test
  void aMetaCommandHiddenInsideAStatementOutsideAnyStringIsRefused() throws IOException {
    String sql = "CREATE TABLE t (\n\\! touch /tmp/x\ni int);\nSELECT 2;\n";

    String out = filter(new ScratchFilter(false), sql);

    assertThat(out).isEqualTo("CREATE TABLE t (\ni int);\nSELECT 2;\n");
  }

  @Test
  void cleaningStatementsThatNeedTheirObjectAreLeftOutOfTheCleaningBlockOnly() throws IOException {
    String sql =
        String.join(
            "\n",
            "--",
            "-- PostgreSQL database dump",
            "--",
            "SET client_encoding = 'UTF8';",
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "",
            "ALTER TABLE IF EXISTS ONLY public.t DROP CONSTRAINT IF EXISTS t_pkey;",
            "ALTER DOMAIN public.d DROP CONSTRAINT IF EXISTS c;",
            "ALTER TABLE IF EXISTS public.t ALTER COLUMN i DROP DEFAULT;",
            "DROP TABLE IF EXISTS public.t;",
            "DROP DOMAIN IF EXISTS public.d;",
            "--",
            "-- Name: d; Type: DOMAIN; Schema: public; Owner: postgres",
            "--",
            "CREATE DOMAIN public.d AS integer;",
            "ALTER DOMAIN public.d DROP CONSTRAINT IF EXISTS c;",
            "");
    OneTransactionFilter filter = new OneTransactionFilter(false);

    String out = filter(filter, sql);

    assertThat(out)
        .isEqualTo(sql.replaceFirst("ALTER DOMAIN public.d DROP CONSTRAINT IF EXISTS c;\n", ""));
    assertThat(filter.cleaningStatementsLeftOut()).isEqualTo(1);
  }

  @Test
  void aSelectionRestoresTheChosenDatabaseWithTheRolesItNamesAndNothingElse() throws IOException {
    DumpallSurvey survey = new DumpallSurvey(Set.of("app"));
    filter(survey, DUMPALL);
    assertThat(survey.databases()).containsExactly("template1", "app", "postgres");
    assertThat(survey.neededRoles()).containsExactly("appuser", "postgres");

    String out =
        filter(
            new ClusterRestoreFilter(
                Set.of("postgres"),
                "postgres",
                false,
                Optional.of(
                    new ClusterRestoreFilter.Selection(
                        Set.of("app"), survey.neededRoles(), Set.of("appuser")))),
            DUMPALL);

    assertThat(out.lines())
        .contains("DROP DATABASE IF EXISTS app;", "CREATE ROLE appuser;", "\\connect app")
        .noneMatch(l -> l.startsWith("DROP ROLE") || l.startsWith("CREATE ROLE postgres"))
        .noneMatch(l -> l.startsWith("\\connect template1") || l.startsWith("\\connect postgres"))
        .noneMatch(l -> l.contains("DATABASE template1") || l.contains("DATABASE postgres"));
    assertThat(out).contains("ALTER TABLE public.p OWNER TO appuser;");
  }

  @Test
  void identifiersAreReadOutsideStringsWithQuotedOnesUnquoted() {
    assertThat(
            DumpallSurvey.identifiersIn(
                "GRANT ALL ON TABLE s.\"Tab\"\"le\" TO \"Ann Lee\", bob; -- 'carol' x"))
        .containsExactly(
            "GRANT", "ALL", "ON", "TABLE", "s", "Tab\"le", "TO", "Ann Lee", "bob", "x");
  }

  @Test
  void linesLongerThanTheHeadStreamThrough() throws IOException {
    String big = "x".repeat(SqlLineReader.HEAD_LIMIT * 3 + 17);
    String sql =
        "COPY t (a) FROM stdin;\n"
            + big
            + "\n\\.\nINSERT INTO t VALUES ('"
            + big
            + "');\n"
            + "DROP DATABASE app;\n";

    String out = filter(new ClusterRestoreFilter(Set.of(), "app", false), sql);

    assertThat(out)
        .isEqualTo(
            "COPY t (a) FROM stdin;\n"
                + big
                + "\n\\.\nINSERT INTO t VALUES ('"
                + big
                + "');\n"
                + "\\connect postgres\nDROP DATABASE app;\n");
  }

  @Test
  void aScratchRestoreLeavesOutWhatBelongsToTheWholeServerHoweverLongItsLine() throws IOException {
    String longComment = "'" + "x".repeat(SqlLineReader.HEAD_LIMIT + 5_000) + "'";
    String sql =
        "CREATE TABLE public.t (i integer);\n"
            + "ALTER ROLE appuser IN DATABASE app SET work_mem TO '1MB';\n"
            + "ALTER ROLE \"we\"\"ird\" IN DATABASE app RESET ALL;\n"
            + "COMMENT ON ROLE appuser IS 'who';\n"
            + "ALTER TABLESPACE fast OWNER TO appuser;\n"
            + "COMMENT ON DATABASE app IS "
            + longComment
            + ";\n"
            + "ALTER DATABASE app SET search_path TO "
            + longComment
            + ";\n"
            + "COMMENT ON TABLE public.t IS "
            + longComment
            + ";\n"
            + "CREATE INDEX t_i ON public.t (i);\n"
            + "CREATE USER MAPPING FOR \"app owner\" SERVER s OPTIONS (password 'p');\n"
            + "CREATE POLICY \"p TO x\" ON public.t AS RESTRICTIVE FOR SELECT TO \"app owner\","
            + " ro_reader USING ((i > 0));\n"
            + "CREATE POLICY q ON public.t USING ((i > 1));\n"
            + "SECURITY LABEL FOR sepgsql ON TABLE public.t IS 'x ON ROLE y';\n";

    String out = filter(new ScratchFilter(false), sql);

    assertThat(out)
        .isEqualTo(
            "CREATE TABLE public.t (i integer);\n"
                + "COMMENT ON TABLE public.t IS "
                + longComment
                + ";\n"
                + "CREATE INDEX t_i ON public.t (i);\n"
                + "CREATE POLICY \"p TO x\" ON public.t AS RESTRICTIVE FOR SELECT USING ((i >"
                + " 0));\n"
                + "CREATE POLICY q ON public.t USING ((i > 1));\n"
                + "SECURITY LABEL FOR sepgsql ON TABLE public.t IS 'x ON ROLE y';\n");
  }

  @Test
  void aLongLineIsJudgedByItsHeadAndAMetaCommandThatLongIsDropped() throws IOException {
    String pad = " ".repeat(SqlLineReader.HEAD_LIMIT * 2);
    String sql =
        "SELECT 1;\n\\! touch /tmp/pwned"
            + pad
            + "\nCOMMENT ON ROLE a IS 'x"
            + pad
            + "';\nALTER TABLE t OWNER TO a"
            + pad
            + ";\nSELECT 2;\n";
    SqlStreamFilter leaveOutRoles =
        new SqlStreamFilter() {
          @Override
          protected Action onStatement(String line) {
            if (line.startsWith("ALTER TABLE")) {
              return Action.replace("ALTER TABLE t OWNER TO b;\n");
            }
            return line.startsWith("COMMENT ON ROLE") ? Action.SKIP : Action.PASS;
          }

          @Override
          protected Action onMetaCommand(String line) {
            return Action.PASS;
          }
        };

    // A rewrite needs the whole line: the restore fails rather than run it unseen.
    assertThatThrownBy(() -> filter(leaveOutRoles, sql))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer than " + SqlLineReader.HEAD_LIMIT + " bytes")
        .hasMessageContaining("ALTER TABLE t OWNER TO a");
    String out = filter(leaveOutRoles, sql.replace("ALTER TABLE", "ANALYZE"));
    assertThat(out).isEqualTo("SELECT 1;\nANALYZE t OWNER TO a" + pad + ";\nSELECT 2;\n");
  }

  @Test
  void theEndOfCopyDataIsFoundWhateverSizeTheReadsHave() throws IOException {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      data.append(i).append("\tDROP DATABASE app;\\.\\n\n");
    }
    String sql =
        "COPY t (a, b) FROM stdin;\n" + data + "\\.\nDROP DATABASE app;\nCOPY u FROM stdin;\n\\.";
    for (int chunk : new int[] {1, 3, 7, 4096, 1 << 20}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ClusterRestoreFilter(Set.of(), "app", false)
          .copy(new SqlLineReader(trickle(sql, chunk)), out);

      assertThat(out.toString(StandardCharsets.UTF_8))
          .as("reads of %d bytes", chunk)
          .isEqualTo(
              "COPY t (a, b) FROM stdin;\n"
                  + data
                  + "\\.\n\\connect postgres\n"
                  + "DROP DATABASE app;\nCOPY u FROM stdin;\n\\.");
    }
  }

  private static InputStream trickle(String text, int chunk) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Test
  void aCopyStatementTooLongToSeeWholeStillStartsCopyData() throws IOException {
    String columns = String.join(", ", java.util.Collections.nCopies(30_000, "c"));
    String sql = "COPY t (" + columns + ") FROM stdin;\nDROP DATABASE app;\n\\.\n";

    String out = filter(new ClusterRestoreFilter(Set.of(), "app", false), sql);

    assertThat(out).isEqualTo(sql);
  }

  @Test
  void connectTargetsAreReadInEveryFormPgDumpWrites() {
    assertThat(Identifiers.connectTarget("\\connect app")).contains("app");
    assertThat(Identifiers.connectTarget("\\connect \"My App\"")).contains("My App");
    assertThat(Identifiers.connectTarget("\\connect -reuse-previous=on \"dbname='it\\'s ok'\""))
        .contains("it's ok");
    assertThat(Identifiers.connectTarget("\\connect -reuse-previous=on \"dbname='a\"\"b'\""))
        .contains("a\"b");
    assertThat(Identifiers.connectTarget("\\connect - otheruser")).isEmpty();
    assertThat(Identifiers.unquote("\"Crème \"\"brûlée\"\"\"")).isEqualTo("Crème \"brûlée\"");
  }

  @Test
  void theScannerKnowsWhenAStatementStarts() {
    assertThat(startsAfter("SELECT 1;\n")).isTrue();
    assertThat(startsAfter("SELECT 'a;\n")).isFalse();
    assertThat(startsAfter("SELECT 'it''s';\n")).isTrue();
    assertThat(startsAfter("SELECT E'it\\'s';\n")).isTrue();
    assertThat(startsAfter("SELECT \"a;\"\"b\";\n")).isTrue();
    assertThat(startsAfter("CREATE FUNCTION f() AS $x$ BEGIN; $$ ; END $x$;\n")).isTrue();
    assertThat(startsAfter("CREATE FUNCTION f() AS $x$ BEGIN;\n")).isFalse();
    assertThat(startsAfter("SELECT $1;\n")).isTrue();
    assertThat(startsAfter("-- a comment; 'quote\n")).isTrue();
    assertThat(startsAfter("/* a /* nested */ comment; */ \n")).isTrue();
    assertThat(startsAfter("SELECT 1 /* ; */\n")).isFalse();
    assertThat(startsAfter("SELECT 1 - 2;\n")).isTrue();
    assertThat(startsAfter("CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a;\n"))
        .isFalse();
    assertThat(startsAfter("CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a; NOTIFY b);\n"))
        .isTrue();
  }

  private static boolean startsAfter(String sql) {
    SqlScanner scanner = new SqlScanner();
    byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
    scanner.scan(bytes, 0, bytes.length);
    return scanner.atStatementStart();
  }

  private static String filter(SqlStreamFilter filter, String sql) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    filter.copy(reader(sql), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static SqlLineReader reader(String sql) {
    return new SqlLineReader(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)));
  }

  private static String withoutRoleLines(String sql) {
    return removeLines(
        sql, "DROP ROLE IF EXISTS postgres;", "CREATE ROLE postgres;", "ALTER ROLE postgres WITH");
  }

  private static String removeLines(String sql, String... prefixes) {
    StringBuilder sb = new StringBuilder();
    for (String line : sql.split("\n", -1)) {
      if (java.util.Arrays.stream(prefixes).noneMatch(line::startsWith)) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  private static String resource(String name) {
    try (InputStream in = SqlFiltersTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
