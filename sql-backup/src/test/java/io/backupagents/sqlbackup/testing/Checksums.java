package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.PostgresServer;
import java.nio.charset.StandardCharsets;

/**
 * A byte-exact checksum of a database's contents, computed by the server through psql (so names and
 * text in any encoding, valid UTF-8 or not, are compared as the bytes they are): for each user
 * table its qualified name, row count and the MD5 of its rows in byte order; function names and
 * bodies; comments; and the database's encoding.
 */
public final class Checksums {

  private static final String QUERIES =
      String.join(
          "\n",
          "SELECT 'encoding: ' || pg_encoding_to_char(encoding) FROM pg_database"
              + " WHERE datname = current_database();",
          "SELECT format('SELECT %L || '': '' || count(*) || '' '' || md5(coalesce(string_agg("
              + "t::text, ''|'' ORDER BY t::text COLLATE \"C\"), '''')) FROM %I.%I t',"
              + " n.nspname || '.' || c.relname, n.nspname, c.relname)"
              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE c.relkind IN ('r', 'p') AND c.relispartition = false"
              + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
              + " AND n.nspname NOT LIKE 'pg\\_toast%'"
              + " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\" \\gexec",
          "SELECT 'functions: ' || coalesce(string_agg(n.nspname || '.' || p.proname || '='"
              + " || md5(p.prosrc), ' ' ORDER BY n.nspname COLLATE \"C\", p.proname COLLATE \"C\","
              + " p.prosrc COLLATE \"C\"), '') FROM pg_proc p"
              + " JOIN pg_namespace n ON n.oid = p.pronamespace"
              + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema');",
          "SELECT 'comments: ' || coalesce(md5(string_agg(d.description, '|'"
              + " ORDER BY d.description COLLATE \"C\")), '') FROM pg_description d"
              + " WHERE d.objoid >= 16384;",
          "");

  private Checksums() {}

  /** The checksum lines of {@code database} on {@code server} (any name, any encoding). */
  public static String of(PostgresServer server, String database) {
    return server.psql(bytes(psqlConnect(database) + "\n" + QUERIES));
  }

  /**
   * A psql {@code \connect} line to {@code database}, whatever its name holds, written as
   * pg_dumpall writes it: a connection string in a double-quoted argument.
   */
  public static String psqlConnect(String database) {
    String conninfo = "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    return "\\connect -reuse-previous=on \"" + conninfo.replace("\"", "\"\"") + "\"";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
