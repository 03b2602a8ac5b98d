package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Databases that a restore must carry over byte for byte: names with quotes, spaces and non-ASCII
 * characters (role, schema, table, function, database); text that looks like SQL or psql
 * meta-commands at line starts in COPY data, comments and function bodies; a NOT VALID domain
 * constraint (pg_dump's cleaning statement for it fails in an empty database); a LATIN1 and a
 * SQL_ASCII database with bytes that are not UTF-8 in table names and data.
 */
public final class TrickyData {

  /** UTF8, C locale: every kind of tricky name and text. */
  public static final String FIDELITY = "fidelity";

  /** LATIN1, C locale, with Latin-1 bytes in names and data. */
  public static final String LATIN1 = "latin1";

  /** SQL_ASCII, C locale, with bytes that are not UTF-8 in a table name and in data. */
  public static final String SQL_ASCII = "sqlascii";

  /** A database whose name needs quoting, with a table; only in dumpalls. */
  public static final String QUOTED_DATABASE = "Dàtà \"bäse\" 1";

  /** A role whose name needs quoting, owning objects in {@link #FIDELITY}. */
  public static final String ROLE = "rôle \"r\" s";

  public static final List<String> DATABASES =
      List.of(FIDELITY, LATIN1, SQL_ASCII, QUOTED_DATABASE);

  private TrickyData() {}

  /** Creates the role and the databases on {@code server}. */
  public static void load(PostgresServer server) {
    server.psql(utf8(fidelity()));
    server.psql(latin1Script().getBytes(StandardCharsets.ISO_8859_1));
    server.psql(sqlAsciiScript().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The statements every database name, schema, role and text here puts to a restore. */
  private static String fidelity() {
    return String.join(
        "\n",
        "CREATE ROLE \"rôle \"\"r\"\" s\" LOGIN;",
        "CREATE DATABASE fidelity TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C';",
        "CREATE DATABASE \"Dàtà \"\"bäse\"\" 1\";",
        Checksums.psqlConnect(QUOTED_DATABASE),
        "CREATE TABLE \"ñ \"\"n\"\"\" (id int, v text);",
        "INSERT INTO \"ñ \"\"n\"\"\" VALUES (1, E'\\\\connect fidelity\\nDROP DATABASE x;');",
        "\\connect fidelity",
        "CREATE SCHEMA \"Schéma \"\"x\"\" y\" AUTHORIZATION \"rôle \"\"r\"\" s\";",
        "SET search_path = \"Schéma \"\"x\"\" y\", public;",
        "CREATE TABLE \"Tâble \"\"q\"\" z\" (id int PRIMARY KEY, body text);",
        "ALTER TABLE \"Tâble \"\"q\"\" z\" OWNER TO \"rôle \"\"r\"\" s\";",
        "COPY \"Tâble \"\"q\"\" z\" FROM stdin;",
        "1\t\\\\connect x",
        "2\t\\\\c y",
        "3\t\\\\! touch /tmp/restore-ran-a-shell-command",
        "4\tDROP DATABASE fidelity;",
        "5\t-- Database \"x\" dump",
        "6\t\\\\.",
        "7\tone\\n\\\\connect template1\\nDROP DATABASE postgres;\\n\\\\.\\nGRANT ALL ON SCHEMA"
            + " public TO PUBLIC;",
        "\\.",
        "CREATE TABLE public.t (i int);",
        "INSERT INTO public.t VALUES (1);",
        // Defect 1's reproduction: a comment whose second line starts with \connect.
        "COMMENT ON TABLE public.t IS E'see\\n\\\\connect elsewhere';",
        "COMMENT ON SCHEMA \"Schéma \"\"x\"\" y\" IS E'\\\\c y\\nDROP DATABASE fidelity;\\n"
            + "-- Database \"x\" dump\\n\\\\! echo ran\\n\\\\connect postgres';",
        "CREATE FUNCTION \"fünc \"\"f\"\"\"() RETURNS text LANGUAGE plpgsql AS $body$",
        "BEGIN",
        "/*",
        "\\connect x",
        "*/",
        "RETURN '",
        "\\c y",
        "\\! echo ran",
        "DROP DATABASE fidelity;",
        "-- Database \"x\" dump",
        "\\connect template1",
        "';",
        "END $body$;",
        "GRANT SELECT ON public.t TO \"rôle \"\"r\"\" s\";",
        // Defect 3's reproduction: pg_dump --clean writes DROP CONSTRAINT IF EXISTS for it, which
        // fails when the domain does not exist.
        "CREATE DOMAIN public.d AS int;",
        "ALTER DOMAIN public.d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;",
        "");
  }

  /** Each char is one byte (ISO-8859-1): Latin-1 text as a LATIN1 client sends it. */
  private static String latin1Script() {
    return String.join(
        "\n",
        "CREATE DATABASE latin1 TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C';",
        "\\connect latin1",
        "SET client_encoding = 'LATIN1';",
        "CREATE TABLE \"tâble_é \"\"l\"\"\" (id int, txt text);",
        "INSERT INTO \"tâble_é \"\"l\"\"\" VALUES (1, 'Grüße ÿ ½ ©'), (2, E'x\\n\\\\connect y');",
        "COMMENT ON TABLE \"tâble_é \"\"l\"\"\" IS 'commentaire é';",
        "CREATE FUNCTION fé() RETURNS text LANGUAGE sql AS $$SELECT 'çà'::text$$;",
        "");
  }

  /** Each char is one byte: names and data that are not valid UTF-8. */
  private static String sqlAsciiScript() {
    return String.join(
        "\n",
        "CREATE DATABASE sqlascii TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C';",
        "\\connect sqlascii",
        "CREATE TABLE \"t\u00ff\u00fe\" (id int, b text);",
        "INSERT INTO \"t\u00ff\u00fe\" VALUES (1, 'half \u0080\u00c3 bytes'),"
            + " (2, 'utf8 \u00c3\u00bc'), (3, E'\\\\connect x\\n\u00e9');",
        "CREATE TABLE plain (id int);",
        "INSERT INTO plain VALUES (1), (2);",
        "COMMENT ON TABLE \"t\u00ff\u00fe\" IS 'bytes \u00e9\u00ff';",
        "");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
